import type { SessionInfo } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { CurrentPasswordInput } from '../../../components/labelled-field';
import '../auth.css';

/** The locked screen hides all patient data; only the same user's password (or signing out) gets past it. */
export function LockView({
  username,
  onUnlocked,
  onSignedOut,
}: {
  username: string;
  onUnlocked: (session: SessionInfo) => void;
  onSignedOut: () => void;
}) {
  const api = useApi();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.unlock({ password });
    setPassword('');
    if (result.ok) onUnlocked(result.value);
    else setError(result.error);
  };

  const signOut = async () => {
    await api.signOut({});
    onSignedOut();
  };

  return (
    <main className="auth-page">
      <form className="panel auth-panel" onSubmit={submit} aria-labelledby="lock-title">
        <h1 id="lock-title">Glucoscreen is locked</h1>
        <p>
          Locked for <strong>{username}</strong>. Enter your password to continue.
        </p>
        <ErrorBanner error={error} />
        {/* Focus on open (an exception to the no-autofocus rule): the lock screen has exactly one thing to do. */}
        <CurrentPasswordInput value={password} onValue={setPassword} autoFocus />
        <div className="row-actions">
          <button type="submit" className="primary">
            Unlock
          </button>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </form>
    </main>
  );
}
