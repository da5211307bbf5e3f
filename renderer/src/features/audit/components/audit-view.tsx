import { type FormEvent, useCallback, useState } from 'react';
import type { InputOf } from '../../../../../core/api/screening-api';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import { useResult } from '../../../components/use-result';

type Query = { actor: string; action: string; from: string; to: string };

/** datetime-local gives local time without a zone; the contract wants ISO instants. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The audit log, filterable by who, what and when, with the hash-chain verification result. */
export function AuditView() {
  const api = useApi();
  const [form, setForm] = useState<Query>({ actor: '', action: '', from: '', to: '' });
  const [query, setQuery] = useState<Query>(form);
  const load = useCallback(() => {
    const arg: InputOf<'auditLog'> = { limit: 500 };
    if (query.actor.trim()) arg.actor = query.actor.trim();
    if (query.action.trim()) arg.action = query.action.trim();
    const from = toIso(query.from);
    const to = toIso(query.to);
    if (from) arg.from = from;
    if (to) arg.to = to;
    return api.auditLog(arg);
  }, [api, query]);
  const page = useResult(load);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(form);
  };
  const v = page.value?.verification;

  return (
    <div className="stack">
      <h1>Audit log</h1>
      {v && (
        <div className={v.ok ? 'banner banner-ok' : 'banner banner-error'} role="status" aria-label="Hash chain">
          {v.ok
            ? `Hash chain verified: all ${v.checked} events are intact and in order.`
            : `Hash chain BROKEN: ${v.problems.length} problem(s) in ${v.checked} events — ${v.problems
                .slice(0, 3)
                .map((p) => `#${p.seq} ${p.kind}: ${p.message}`)
                .join('; ')}`}
        </div>
      )}
      <form className="panel toolbar" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Who
          <input value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} />
        </label>
        <label>
          What (action)
          <input
            value={form.action}
            placeholder="e.g. model.promoted"
            onChange={(e) => setForm({ ...form, action: e.target.value })}
          />
        </label>
        <label>
          From
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <div className="row-actions">
          <button type="submit" className="primary">
            Filter
          </button>
          <button
            type="button"
            onClick={() => {
              const empty = { actor: '', action: '', from: '', to: '' };
              setForm(empty);
              setQuery(empty);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorBanner error={page.error} />
      {page.value && (
        <section className="panel" aria-labelledby="audit-events">
          <h2 id="audit-events">
            {page.value.total} event{page.value.total === 1 ? '' : 's'}
            {page.value.total > page.value.events.length ? ` (newest ${page.value.events.length} shown)` : ''}
          </h2>
          <ScrollRegion label="Audit events (scrollable)">
            <table className="data-table" aria-label="Audit events">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {page.value.events.map((e) => (
                  <tr key={e.seq}>
                    <td className="num">{e.seq}</td>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.actor}</td>
                    <td>{e.action}</td>
                    <td>{e.subject ?? '—'}</td>
                    <td className="params">
                      {e.details && Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
      )}
    </div>
  );
}
