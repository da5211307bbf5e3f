import type { DriftReport } from '@contract/drift-types';
import { formatPValue } from '@contract/format-p-value';
import { percent } from '../../../components/chart-figure';

/**
 * The two verdicts that look at the model rather than at the features one by one: drift in the features it relies
 * on most, and drift in its own output. Each says why it fired or not, since either raises an alert on its own.
 */
export function ModelVerdicts({ report }: { report: DriftReport }) {
  const { importance, output } = report;
  if (!importance && !output) return null;
  return (
    <div className="stack">
      {importance && (
        <div
          className={importance.drifted ? 'banner banner-error' : 'banner banner-ok'}
          role="status"
          aria-label="Important features verdict"
        >
          <strong>
            {importance.drifted
              ? `Drift in features the model relies on most: ${importance.driftedImportant.join(', ')}`
              : 'No drift in the features the model relies on most'}
          </strong>
          . Important means in the model's top {importance.rule.topN} by mean |SHAP|, or carrying at least{' '}
          {percent(importance.rule.minShare, 0)} of it:{' '}
          {importance.important
            .map((f) => `${f.feature} ${percent(f.share)}${f.drifted ? ' (drifted)' : ''}`)
            .join(', ')}
          . Drift in any one of them raises an alert, whatever the share and count rules say.
        </div>
      )}
      {output && (
        <div
          className={output.drifted ? 'banner banner-error' : 'banner banner-ok'}
          role="status"
          aria-label="Model output verdict"
        >
          <strong>{output.drifted ? "The model's output drifted" : "No drift in the model's output"}</strong>: High{' '}
          {percent(output.highShare.currentShare)} of this batch against {percent(output.highShare.referenceShare)} of
          the reference (two-proportion z-test p = {formatPValue(output.highShare.pValue)}, drift below{' '}
          {output.highShare.threshold}); score distribution {output.score.drifted ? 'drifted' : 'not drifted'} (
          {output.score.methodLabel} {formatPValue(output.score.score)}, threshold {output.score.threshold}).
        </div>
      )}
    </div>
  );
}
