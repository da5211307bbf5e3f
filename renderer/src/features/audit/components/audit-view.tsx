import type { InputOf } from '@contract/screening-api';
import { type FormEvent, useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { LabelledInput } from '../../../components/labelled-field';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';
import { CheckpointPanel } from './checkpoint-panel';

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
      <CheckpointPanel onMade={() => setQuery({ ...query })} />
      <form className="panel toolbar" onSubmit={submit} aria-label="Filter the audit log">
        <LabelledInput label="Who" value={form.actor} onValue={(actor) => setForm({ ...form, actor })} />
        <LabelledInput
          label="What (action)"
          value={form.action}
          placeholder="e.g. model.promoted"
          onValue={(action) => setForm({ ...form, action })}
        />
        <LabelledInput
          label="From"
          type="datetime-local"
          value={form.from}
          onValue={(from) => setForm({ ...form, from })}
        />
        <LabelledInput label="To" type="datetime-local" value={form.to} onValue={(to) => setForm({ ...form, to })} />
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
          <SimpleTable
            label="Audit events"
            scrollable
            rows={page.value.events}
            rowKey={(e) => e.seq}
            columns={[
              { header: '#', cell: (e) => e.seq, className: 'num' },
              { header: 'When', cell: (e) => formatDateTime(e.at) },
              { header: 'Who', cell: (e) => e.actor },
              { header: 'What', cell: (e) => e.action },
              {
                header: 'Subject',
                cell: (e) => (e.purgedBySeq !== null ? `purged (event ${e.purgedBySeq})` : (e.subject ?? '—')),
              },
              {
                header: 'Details',
                cell: (e) => (e.details && Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : ''),
                className: 'params',
              },
            ]}
          />
        </section>
      )}
    </div>
  );
}
