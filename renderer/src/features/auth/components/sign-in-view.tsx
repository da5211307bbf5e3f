import type { FirstRunStatus, SessionInfo } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { CurrentPasswordInput, LabelledInput } from '../../../components/labelled-field';
import '../auth.css';

export function SignInView({
  status,
  onSignedIn,
}: {
  status: FirstRunStatus | null;
  onSignedIn: (session: SessionInfo) => void;
}) {
  const api = useApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.signIn({ username, password });
    setBusy(false);
    setPassword('');
    if (result.ok) onSignedIn(result.value);
    else setError(result.error);
  };

  return (
    <main className="auth-page">
      <form className="panel auth-panel" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Glucoscreen</h1>
        <ErrorBanner error={error} />
        <LabelledInput label="Username" value={username} onValue={setUsername} autoComplete="username" required />
        <CurrentPasswordInput value={password} onValue={setPassword} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
        {status?.model ? (
          <p className="muted">Model {status.model.version}</p>
        ) : status?.modelProblem ? (
          <p className="banner banner-warning">{status.modelProblem}</p>
        ) : null}
      </form>
    </main>
  );
}
