import type { SessionInfo } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { LabelledInput, NewPasswordInput } from '../../../components/labelled-field';
import '../auth.css';

/** First run: no account exists yet, so the first one created is the admin. */
export function FirstRunView({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  const api = useApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    const result = await api.createAdmin({ username, password });
    setBusy(false);
    if (result.ok) onSignedIn(result.value);
    else setError(result.error);
  };

  return (
    <main className="auth-page">
      <form className="panel auth-panel" onSubmit={submit} aria-labelledby="first-run-title">
        <h1 id="first-run-title">Welcome to Glucoscreen</h1>
        <p>
          No account exists yet. Create the <strong>administrator</strong> account; the administrator then adds the
          clinicians.
        </p>
        <ErrorBanner error={error} />
        <LabelledInput
          label="Administrator username"
          value={username}
          onValue={setUsername}
          autoComplete="username"
          required
        />
        <NewPasswordInput value={password} onValue={setPassword} />
        <LabelledInput
          label="Repeat the password"
          type="password"
          value={confirm}
          onValue={setConfirm}
          autoComplete="new-password"
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          Create administrator
        </button>
      </form>
    </main>
  );
}
