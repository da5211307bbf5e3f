import type { DriftResult } from '@contract/admin-outputs';
import { percent } from '../../../components/chart-figure';
import { formatDateTime } from '../../../components/format';

/** The dataset-level answer for one batch, with the rule that decided it. */
export function Verdict({ result }: { result: DriftResult }) {
  const d = result.report.datasetDrift;
  return (
    <div className={d.drifted ? 'banner banner-error' : 'banner banner-ok'} role="status" aria-label="Dataset verdict">
      <strong>{d.drifted ? 'Dataset drift detected' : 'No dataset drift'}</strong> in batch {result.batchId} (
      {result.fileName}, {formatDateTime(result.predictionDate)}): {d.driftedCount} of {d.featureCount} features drifted
      ({percent(d.share)}). Rule: {d.rule} of share ≥ {percent(d.shareThreshold, 0)} or count ≥ {d.countThreshold}.
      Reference {result.report.referenceRows} rows, current {result.report.currentRows} rows.
    </div>
  );
}
