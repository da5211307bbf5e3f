import type { ApiError } from '@contract/result';
import type { RetrainJobDto, RetrainMetricsDto, RetrainPhase } from '@contract/retrain-methods';
import { useCallback, useEffect, useState } from 'react';
import { useApi, useApiClient } from '../../../app/api-context';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';

const PHASE_LABEL: Record<RetrainPhase, string> = {
  starting: 'Starting',
  'time-held-out': 'Step 1 of 2: training without the most recent weeks',
  tuning: 'Step 2 of 2: tuning and training the candidate',
  'repeated-cv': 'Repeated cross-validation',
  writing: 'Writing the candidate bundle',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const ENDED: readonly RetrainPhase[] = ['done', 'failed', 'cancelled'];

function newOperationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

/**
 * "Retrain from labelled patients": what the training set would be, then a background run with its progress and
 * Cancel, then the candidate with its cross-validated and time-held-out figures. Promotion stays in the versions table.
 */
export function RetrainPanel({ onFinished }: { onFinished: () => void }) {
  const api = useApi();
  const client = useApiClient();
  const preview = useResult(useCallback(() => api.retrainPreview({}), [api]));
  const [job, setJob] = useState<RetrainJobDto | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void api.retrainStatus({}).then((r) => {
      if (r.ok && r.value) setJob(r.value);
    });
  }, [api]);
  useEffect(
    () =>
      client.on('retrainProgress', (event) => {
        setJob((current) => (current === null || current.operationId === event.operationId ? event : current));
        if (event.phase === 'done') onFinished();
      }),
    [client, onFinished],
  );

  const running = job !== null && !ENDED.includes(job.phase);
  const summary = preview.value;

  const start = async () => {
    setAsking(false);
    setError(null);
    const result = await api.startRetrain({ operationId: newOperationId(), confirmed: true });
    if (result.ok) setJob(result.value);
    else setError(result.error);
  };
  const cancel = async () => {
    if (!job) return;
    const result = await api.cancelRetrain({ operationId: job.operationId });
    if (result.ok) setJob(result.value);
    else setError(result.error);
  };

  const percent = job?.total ? Math.round((100 * (job?.done ?? 0)) / job.total) : undefined;
  const result = job?.phase === 'done' ? job.result : null;
  const rows: { name: string; m: RetrainMetricsDto | null }[] = result
    ? [
        { name: 'Cross-validated (out-of-fold, training part)', m: result.crossValidated },
        { name: 'Test part of the split', m: result.test },
        {
          name: result.timeHeldOut.evaluated
            ? `Most recent weeks held out (${result.timeHeldOut.weeks.join(', ')})`
            : 'Most recent weeks held out: not evaluated',
          m: result.timeHeldOut.metrics,
        },
      ]
    : [];

  return (
    <section className="panel" aria-labelledby="retrain">
      <h2 id="retrain">Retrain from labelled patients</h2>
      <ErrorBanner error={error ?? preview.error} />
      {summary && (
        <>
          <p>
            Training set: <strong>{summary.rowsTotal}</strong> rows — {summary.rowsBySource.training} from the original
            training data ({summary.positivesBySource.training} diabetic) and {summary.rowsBySource.production} labelled
            patients ({summary.positivesBySource.production} diabetic)
            {summary.labelFrom ? `, screened ${summary.labelFrom} to ${summary.labelTo}` : ''}.
          </p>
          <p className="muted">
            Left out: {summary.excluded.unmatchedLabels} labels that matched no screened patient,{' '}
            {summary.excluded.conflictingLabels} labels that contradict another label of the same patient.{' '}
            {summary.heldOut.usable
              ? `The weeks ${summary.heldOut.weeks.join(', ')} (${summary.heldOut.rows} patients) are held out to check the model on the newest patients.`
              : `No time-held-out check: ${summary.heldOut.reason}.`}
          </p>
          {summary.blocked && <p className="banner banner-warning">{summary.blocked}</p>}
        </>
      )}
      <div className="row-actions">
        <button
          type="button"
          disabled={!summary || summary.blocked !== null || running}
          onClick={() => setAsking(true)}
        >
          Retrain from labelled patients
        </button>
        {running && (
          <button type="button" onClick={() => void cancel()}>
            Cancel retraining
          </button>
        )}
      </div>
      {job && (
        <div role="status">
          <p>
            {PHASE_LABEL[job.phase]}
            {job.total && !ENDED.includes(job.phase) ? ` (trial ${job.done} of ${job.total})` : ''}
            {job.message ? `: ${job.message}` : ''}
          </p>
          {running && <progress max={100} value={percent} aria-label="Retraining progress" />}
          <p className="muted">
            Data set version {job.dataset.versionId} (sha256 {job.dataset.sha256.slice(0, 12)}…),{' '}
            {job.dataset.rowsTotal} rows{job.runId !== null ? `, run ${job.runId}` : ''}.
          </p>
        </div>
      )}
      {result && (
        <>
          <p>
            Candidate <strong>{result.version}</strong> ({result.modelId}), threshold {result.threshold.toFixed(3)}. It
            is not in production: compare it and promote it from the versions table.
          </p>
          {!result.timeHeldOut.evaluated && <p className="muted">{result.timeHeldOut.reason}</p>}
          <SimpleTable
            label="Candidate evaluation"
            rows={rows}
            rowKey={(r) => r.name}
            columns={[
              { header: 'Evaluated on', cell: (r) => r.name },
              { header: 'Patients', cell: (r) => r.m?.rows ?? '—', className: 'num' },
              { header: 'Recall', cell: (r) => f3(r.m?.recall), className: 'num' },
              { header: 'Precision', cell: (r) => f3(r.m?.precision), className: 'num' },
              { header: 'F2', cell: (r) => f3(r.m?.f2), className: 'num' },
              { header: 'AUC', cell: (r) => f3(r.m?.auc), className: 'num' },
            ]}
          />
        </>
      )}
      <ConfirmDialog
        open={asking}
        title="Retrain from labelled patients?"
        confirmLabel="Start retraining"
        onConfirm={() => void start()}
        onCancel={() => setAsking(false)}
      >
        <p>
          A snapshot of these {summary?.rowsTotal ?? 0} rows is kept as a versioned data set, and a candidate model is
          trained from it in the background (this takes minutes). Nothing changes in production. This is recorded in the
          audit log under your name.
        </p>
      </ConfirmDialog>
    </section>
  );
}
