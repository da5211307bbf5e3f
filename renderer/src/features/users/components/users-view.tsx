import type { Role, UserSummary } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { LabelledInput, NewPasswordInput } from '../../../components/labelled-field';
import { SimpleTable } from '../../../components/simple-table';
import '../users.css';

/** Admin only: the local accounts, and a form to add one. Main refuses these calls to clinicians. */
export function UsersView() {
  const api = useApi();
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await api.listUsers({});
    if (result.ok) setUsers(result.value);
    else setError(result.error);
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.createUser({ username, password, role });
    if (result.ok) {
      setCreated(result.value.username);
      setUsername('');
      setPassword('');
      setError(null);
      void load();
    } else setError(result.error);
  };

  return (
    <div className="stack">
      <h1>Users</h1>
      <form className="panel inline-form" onSubmit={submit} aria-label="Add a user">
        <h2>Add a user</h2>
        <ErrorBanner error={error} />
        {created && <p role="status">Account “{created}” created.</p>}
        <LabelledInput label="Username" value={username} onValue={setUsername} autoComplete="off" required />
        <NewPasswordInput value={password} onValue={setPassword} />
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="clinician">Clinician</option>
            <option value="admin">Administrator</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
      <div className="panel">
        <SimpleTable
          label="Accounts"
          rows={users}
          rowKey={(user) => user.username}
          columns={[
            { header: 'Username', cell: (user) => user.username },
            { header: 'Role', cell: (user) => (user.role === 'admin' ? 'Administrator' : 'Clinician') },
            { header: 'Created', cell: (user) => formatDateTime(user.createdAt) },
          ]}
        />
      </div>
    </div>
  );
}
