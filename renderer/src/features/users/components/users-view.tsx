import type { Role, UserSummary } from '@contract/outputs';
import type { ApiError, Result } from '@contract/result';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { LabelledInput, NewPasswordInput } from '../../../components/labelled-field';
import { SimpleTable } from '../../../components/simple-table';
import '../users.css';

const roleName = (role: Role) => (role === 'admin' ? 'Administrator' : 'Clinician');

/**
 * Admin only: the local accounts, a form to add one, and per account: disable or enable, change the role, lift a
 * lockout, reset the password. Main refuses these calls to clinicians and guards the last administrator.
 */
export function UsersView() {
  const api = useApi();
  const idPrefix = useId();
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [resetFor, setResetFor] = useState('');
  const [resetPassword, setResetPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  // One message for the latest outcome: a success replaces an earlier error and a failure an earlier success.
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await api.listUsers({});
    if (result.ok) setUsers(result.value);
    else setError(result.error);
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const outcome = <T,>(result: Result<T>, success: string): boolean => {
    if (result.ok) {
      setNotice(success);
      setError(null);
      void load();
      return true;
    }
    setNotice(null);
    setError(result.error);
    return false;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.createUser({ username, password, role });
    if (outcome(result, `Account “${username.trim()}” created.`)) {
      setUsername('');
      setPassword('');
    }
  };

  const submitReset = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.resetPassword({ username: resetFor, password: resetPassword });
    if (outcome(result, `Password of “${resetFor}” reset.`)) setResetPassword('');
  };

  const cellId = (user: UserSummary) => `${idPrefix}-user-${user.username}`;

  return (
    <div className="stack">
      <h1>Users</h1>
      <ErrorBanner error={error} />
      {notice && <p role="status">{notice}</p>}
      <form className="panel inline-form" onSubmit={submit} aria-label="Add a user">
        <h2>Add a user</h2>
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
            { header: 'Username', cell: (user) => <span id={cellId(user)}>{user.username}</span> },
            { header: 'Role', cell: (user) => roleName(user.role) },
            {
              header: 'Status',
              cell: (user) =>
                [user.disabled ? 'Disabled' : 'Active', user.lockedOut ? 'locked out' : null]
                  .filter(Boolean)
                  .join(', '),
            },
            { header: 'Created', cell: (user) => formatDateTime(user.createdAt) },
            {
              header: 'Actions',
              cell: (user) => (
                // The buttons name the action; the account they act on is their description (its username cell).
                <div className="row-actions">
                  <button
                    type="button"
                    aria-describedby={cellId(user)}
                    onClick={async () =>
                      outcome(
                        await api.setUserDisabled({ username: user.username, disabled: !user.disabled }),
                        `Account “${user.username}” ${user.disabled ? 'enabled' : 'disabled'}.`,
                      )
                    }
                  >
                    {user.disabled ? 'Enable' : 'Disable'}
                  </button>
                  <button
                    type="button"
                    aria-describedby={cellId(user)}
                    onClick={async () => {
                      const next: Role = user.role === 'admin' ? 'clinician' : 'admin';
                      outcome(
                        await api.setUserRole({ username: user.username, role: next }),
                        `“${user.username}” is now ${next === 'admin' ? 'an administrator' : 'a clinician'}.`,
                      );
                    }}
                  >
                    {user.role === 'admin' ? 'Make clinician' : 'Make administrator'}
                  </button>
                  {user.lockedOut && (
                    <button
                      type="button"
                      aria-describedby={cellId(user)}
                      onClick={async () =>
                        outcome(
                          await api.unlockUser({ username: user.username }),
                          `Account “${user.username}” unlocked.`,
                        )
                      }
                    >
                      Unlock
                    </button>
                  )}
                </div>
              ),
            },
          ]}
        />
      </div>
      <form className="panel inline-form" onSubmit={submitReset} aria-label="Reset a password">
        <h2>Reset a password</h2>
        <label>
          Account to reset
          <select value={resetFor} onChange={(e) => setResetFor(e.target.value)} required>
            <option value="">Choose an account</option>
            {users.map((user) => (
              <option key={user.username} value={user.username}>
                {user.username}
              </option>
            ))}
          </select>
        </label>
        <NewPasswordInput
          label="New password for that account (at least 10 characters)"
          value={resetPassword}
          onValue={setResetPassword}
        />
        <button type="submit">Reset password</button>
      </form>
    </div>
  );
}
