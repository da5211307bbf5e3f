import type { ApiError } from '@contract/result';
import { PURGE_CONFIRMATION, type PurgeCountsDto, type RetentionPurgeDto } from '@contract/retention-methods';
import { useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { ErrorBanner } from '../../../components/error-banner';

/** What a purge removes, in the words the dialog and the result use. */
const KINDS: [keyof PurgeCountsDto, string][] = [
  ['batches', 'batches (their figures and drift results stay)'],
  ['predictions', 'scored patients with their inputs and explanations'],
  ['rowIssues', 'rejected rows and warnings'],
  ['reviews', 'reviews and their notes'],
  ['labels', 'labels (outcomes)'],
  ['patients', 'patients with no screening left'],
  ['followUpSteps', 'follow-up steps'],
  ['followUpResults', 'test results'],
  ['followUpAssignments', 'follow-up assignments'],
  ['shadowRows', 'shadow model scores'],
  ['auditEvents', 'audit events reduced to tombstones (the chain still verifies)'],
  ['files', 'output and rejected files'],
];

function CountList({ counts, label }: { counts: PurgeCountsDto; label: string }) {
  return (
    <ul aria-label={label}>
      {KINDS.map(([kind, words]) => (
        <li key={kind}>
          {counts[kind].toLocaleString()} {words}
        </li>
      ))}
    </ul>
  );
}

/**
 * Purging patient rows past the retention period: a dry run shows what would go, then a dialog asks for the typed
 * confirmation. Weekly monitoring figures and the audit chain are kept.
 */
export function RetentionPanel({ onPurged }: { onPurged: () => void }) {
  const api = useApi();
  const [error, setError] = useState<ApiError | null>(null);
  const [preview, setPreview] = useState<RetentionPurgeDto | null>(null);
  const [done, setDone] = useState<RetentionPurgeDto | null>(null);
  const [confirmation, setConfirmation] = useState('');

  const previewPurge = async () => {
    setDone(null);
    const result = await api.retentionPreview({});
    if (!result.ok) return setError(result.error);
    setError(null);
    setPreview(result.value);
  };

  const purge = async () => {
    if (!preview) return;
    const result = await api.purgePatientRows({
      cutoff: preview.cutoff,
      confirm: confirmation as typeof PURGE_CONFIRMATION,
    });
    setConfirmation('');
    setPreview(null);
    if (!result.ok) return setError(result.error);
    setError(null);
    setDone(result.value);
    onPurged();
  };

  return (
    <section className="panel" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Data: purge old patient rows</h2>
      <p className="muted">
        Removes the patient rows of batches screened before the retention period (Settings above), moved back to the
        Monday of that week. Weekly recall, precision, F2, AUC, estimates and drift results stay as they were.
      </p>
      <ErrorBanner error={error} />
      {done && (
        <div role="status" aria-label="Purge result">
          <p>
            Purged batches screened before {done.cutoff} (audit event {done.purgeSeq ?? 'none'}).
          </p>
          <CountList counts={done.counts} label="Removed" />
        </div>
      )}
      <button type="button" onClick={() => void previewPurge()}>
        Preview purge
      </button>
      <ConfirmDialog
        open={preview !== null}
        title="Purge old patient rows?"
        titleId="purge-dialog-title"
        confirmLabel="Purge"
        confirmDisabled={confirmation !== PURGE_CONFIRMATION || (preview?.counts.batches ?? 0) === 0}
        onConfirm={() => void purge()}
        onCancel={() => {
          setPreview(null);
          setConfirmation('');
        }}
      >
        {preview && (
          <>
            <p>
              Batches screened before {preview.cutoff} ({preview.retentionMonths} month
              {preview.retentionMonths === 1 ? '' : 's'} kept). This cannot be undone except by restoring a backup; it
              is recorded in the audit log under your name.
            </p>
            {preview.counts.batches === 0 ? (
              <p>Nothing is older than the retention period.</p>
            ) : (
              <CountList counts={preview.counts} label="Would be removed" />
            )}
            <label>
              Type {PURGE_CONFIRMATION} to purge
              <input value={confirmation} onChange={(e) => setConfirmation(e.target.value)} autoComplete="off" />
            </label>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
