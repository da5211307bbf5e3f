import type { FollowUpEntryDto, FollowUpView } from '@contract/follow-up-types';
import type { ApiError } from '@contract/result';
import { useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { downloadFile } from '../../../components/download';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime, formatScore } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';
import type { FollowUpListName } from './follow-up-nav';
import { statusLabel } from './status-text';
import '../follow-up.css';

/** "My follow-ups" (open, assigned to me) or "Overdue" (mine, or every clinician's), with the CSV export. */
export function FollowUpListView({
  list,
  onOpenPatient,
}: {
  list: FollowUpListName;
  onOpenPatient: (batchId: string, patientId: string) => void;
}) {
  const api = useApi();
  const [everyone, setEveryone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const view: FollowUpView = list === 'mine' ? 'mine' : everyone ? 'overdue-all' : 'overdue-mine';
  const result = useResult(useCallback(() => api.followUpList({ view }), [api, view]));
  const data = result.value;
  const title = list === 'mine' ? 'My follow-ups' : 'Overdue follow-ups';
  const exportList = async () => {
    const file = await api.exportFollowUps({ view });
    if (file.ok) downloadFile(file.value);
    else setError(file.error);
  };
  return (
    <div className="stack">
      <div className="heading-row">
        <h1>{title}</h1>
        <button type="button" onClick={() => void exportList()} disabled={!data || data.total === 0}>
          Export follow-up list (CSV)
        </button>
      </div>
      <p className="muted">
        {list === 'mine'
          ? 'Patients assigned to you whose follow-up is still open (no result recorded, not declined or unreachable).'
          : `Patients recommended for testing with no result ${data?.overdueDays ?? '…'} days or more after the screening that first recommended them.`}
      </p>
      {list === 'overdue' && (
        <label className="chip">
          <input type="checkbox" checked={everyone} onChange={(e) => setEveryone(e.target.checked)} />
          Every clinician&apos;s patients
        </label>
      )}
      <ErrorBanner error={error ?? result.error} />
      {data && (
        <>
          <p aria-live="polite" data-testid="follow-up-count">
            {data.total === 1 ? '1 patient' : `${data.total} patients`}
            {data.total > data.entries.length ? ` (the first ${data.entries.length} shown)` : ''}
          </p>
          <SimpleTable<FollowUpEntryDto>
            label={title}
            scrollable
            rows={data.entries}
            rowKey={(e) => e.patientId}
            columns={[
              {
                header: 'Patient ID',
                cell: (e) => (
                  <button type="button" className="link" onClick={() => onOpenPatient(e.latest.batchId, e.patientId)}>
                    {e.patientId}
                  </button>
                ),
              },
              { header: 'Status', cell: (e) => statusLabel(e.status) },
              { header: 'Since', cell: (e) => (e.statusAt ? formatDateTime(e.statusAt) : '—') },
              { header: 'Assigned to', cell: (e) => e.assignee ?? '—' },
              {
                header: 'Days open',
                cell: (e) => (e.daysOpen === null ? '—' : `${e.daysOpen}${e.overdue ? ' (overdue)' : ''}`),
                className: 'num',
              },
              {
                header: 'Latest screening',
                cell: (e) =>
                  `${formatDateTime(e.latest.predictionDate)} · ${e.latest.category} ${formatScore(e.latest.score)}`,
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
