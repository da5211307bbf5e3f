import type { BatchSummary } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import '../../../components/data-table.css';

const DRIFT_LABEL: Record<BatchSummary['drift']['verdict'], string> = {
  drift: 'Drift detected',
  'no-drift': 'No drift',
  'not-checked': 'Not checked',
};

const STATUS_LABEL: Record<BatchSummary['status'], string> = {
  complete: 'Complete',
  rejected: 'Rejected (nothing stored)',
  failed: 'Failed',
  held: 'Held, not scored (nothing stored)',
};

export function BatchHistoryView({
  onOpenBatch,
  onOpenReport,
}: {
  onOpenBatch: (batchId: string) => void;
  onOpenReport: (batchId: string) => void;
}) {
  const api = useApi();
  const [batches, setBatches] = useState<BatchSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void api.listBatches({ limit: 200 }).then((r) => (r.ok ? setBatches(r.value) : setError(r.error)));
  }, [api]);

  return (
    <div className="stack">
      <h1>Batch history</h1>
      <ErrorBanner error={error} />
      {batches && batches.length === 0 && <p>No batches yet. Import a daily CSV to start.</p>}
      {batches && batches.length > 0 && (
        <>
          <BatchTable
            label="Past batches"
            batches={batches.filter((b) => b.source === 'file')}
            onOpenBatch={onOpenBatch}
            onOpenReport={onOpenReport}
          />
          <h2>Quick scores</h2>
          <BatchTable
            label="Quick scores"
            batches={batches.filter((b) => b.source === 'quick-score')}
            onOpenBatch={onOpenBatch}
            onOpenReport={onOpenReport}
          />
        </>
      )}
    </div>
  );
}

/** Daily files and quick scores in separate tables: a one-patient quick score is not a day's batch. */
function BatchTable({
  label,
  batches,
  onOpenBatch,
  onOpenReport,
}: {
  label: string;
  batches: BatchSummary[];
  onOpenBatch: (batchId: string) => void;
  onOpenReport: (batchId: string) => void;
}) {
  if (batches.length === 0) return <p className="muted">None.</p>;
  return (
    <ScrollRegion label={`${label}, scrollable`} className="panel">
      <table className="data-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Imported</th>
            <th scope="col">File</th>
            <th scope="col">By</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Patients
            </th>
            <th scope="col" className="num">
              Rejected rows
            </th>
            <th scope="col" className="num">
              High / Medium / Low
            </th>
            <th scope="col" className="num">
              Reviewed
            </th>
            <th scope="col">Drift</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {batches.map((batch) => (
            <tr key={batch.batchId}>
              <td>{formatDateTime(batch.importedAt)}</td>
              <td>{batch.source === 'quick-score' ? 'Quick score' : batch.fileName}</td>
              <td>{batch.importedBy}</td>
              <td>
                {STATUS_LABEL[batch.status]}
                {batch.attention && (
                  <div className="muted" data-testid="batch-attention">
                    {batch.attention}
                  </div>
                )}
              </td>
              <td className="num">{batch.acceptedRows}</td>
              <td className="num">{batch.rejectedRows}</td>
              <td className="num">
                {batch.counts.High} / {batch.counts.Medium} / {batch.counts.Low}
              </td>
              <td className="num">{batch.reviewedCount}</td>
              <td>{DRIFT_LABEL[batch.drift.verdict]}</td>
              <td className="row-actions">
                <button
                  type="button"
                  onClick={() => onOpenBatch(batch.batchId)}
                  disabled={batch.status !== 'complete'}
                  aria-label={`Reopen batch ${batch.fileName} of ${formatDateTime(batch.importedAt)}`}
                >
                  Reopen
                </button>
                <button
                  type="button"
                  onClick={() => onOpenReport(batch.batchId)}
                  aria-label={`Validation report of ${batch.fileName} of ${formatDateTime(batch.importedAt)}`}
                >
                  Report
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
