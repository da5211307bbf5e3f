import type { ApiClientDto, CreatedApiClient } from '@contract/api-client-methods';
import type { ApiError, Result } from '@contract/result';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { LabelledInput } from '../../../components/labelled-field';
import { SimpleTable } from '../../../components/simple-table';

/**
 * Admin only: the clients of the local scoring API (npm run serve). A new client's key is shown here once, with a
 * copy button; only its hash is stored, so a lost key is revoked and a new client created.
 */
export function ApiClientsView() {
  const api = useApi();
  const idPrefix = useId();
  const [clients, setClients] = useState<ApiClientDto[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiClient | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await api.listApiClients({});
    if (result.ok) setClients(result.value);
    else setError(result.error);
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const outcome = <T,>(result: Result<T>, success: string): result is { ok: true; value: T } => {
    setNotice(result.ok ? success : null);
    setError(result.ok ? null : result.error);
    if (result.ok) void load();
    return result.ok;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.createApiClient({ name: name.trim() });
    if (outcome(result, `API client “${name.trim()}” created.`)) {
      setCreated(result.value);
      setCopied(false);
      setName('');
    }
  };

  const cellId = (client: ApiClientDto) => `${idPrefix}-client-${client.keyPrefix}`;

  return (
    <div className="stack">
      <h1>API clients</h1>
      <p>
        Systems on this workstation that may call the local scoring API (<code>npm run serve</code>), each with its own
        key. Every call is recorded in the audit log under the client's name.
      </p>
      <ErrorBanner error={error} />
      {notice && <p role="status">{notice}</p>}
      {created && (
        <section className="panel" aria-labelledby={`${idPrefix}-key`}>
          <h2 id={`${idPrefix}-key`}>Key of “{created.client.name}”: shown only now</h2>
          <p>Copy it into the other system now. It is not stored and cannot be shown again.</p>
          <LabelledInput label="API key" value={created.key} onValue={() => {}} readOnly spellCheck={false} />
          <div className="row-actions">
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard.writeText(created.key);
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy key'}
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              Done, hide the key
            </button>
          </div>
        </section>
      )}
      <form className="panel inline-form" onSubmit={submit} aria-label="Add an API client">
        <h2>Add an API client</h2>
        <LabelledInput label="Client name" value={name} onValue={setName} autoComplete="off" required />
        <button type="submit" className="primary">
          Create client and key
        </button>
      </form>
      <div className="panel">
        <SimpleTable
          label="API clients"
          rows={clients}
          rowKey={(client) => client.keyPrefix}
          columns={[
            { header: 'Name', cell: (client) => <span id={cellId(client)}>{client.name}</span> },
            { header: 'Key', cell: (client) => `${client.keyPrefix}…` },
            { header: 'Created', cell: (client) => `${formatDateTime(client.createdAt)} by ${client.createdBy}` },
            {
              header: 'Last used',
              cell: (client) => (client.lastUsedAt ? formatDateTime(client.lastUsedAt) : 'never'),
            },
            {
              header: 'Status',
              cell: (client) => (client.revokedAt ? `Revoked ${formatDateTime(client.revokedAt)}` : 'Active'),
            },
            {
              header: 'Actions',
              cell: (client) =>
                client.revokedAt ? null : (
                  <button
                    type="button"
                    aria-describedby={cellId(client)}
                    onClick={async () =>
                      outcome(
                        await api.revokeApiClient({ name: client.name }),
                        `The key of “${client.name}” is revoked.`,
                      )
                    }
                  >
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      </div>
    </div>
  );
}
