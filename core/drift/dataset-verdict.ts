import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './drift-config';
import type { DatasetDrift } from './drift-report';

/** Evidently's share rule and a count rule (at least N drifted features), combined as configured. */
export function datasetVerdict(results: readonly { drifted: boolean }[], config: DriftConfig = {}): DatasetDrift {
  const shareThreshold = config.shareThreshold ?? DEFAULT_DRIFT_CONFIG.shareThreshold;
  const countThreshold = config.countThreshold ?? DEFAULT_DRIFT_CONFIG.countThreshold;
  const rule = config.rule ?? DEFAULT_DRIFT_CONFIG.rule;
  const featureCount = results.length;
  const driftedCount = results.filter((r) => r.drifted).length;
  const share = featureCount === 0 ? 0 : driftedCount / featureCount;
  const shareRule = featureCount > 0 && share >= shareThreshold;
  const countRule = featureCount > 0 && driftedCount >= countThreshold;
  const drifted =
    rule === 'share'
      ? shareRule
      : rule === 'count'
        ? countRule
        : rule === 'both'
          ? shareRule && countRule
          : shareRule || countRule;
  return { featureCount, driftedCount, share, shareThreshold, countThreshold, shareRule, countRule, rule, drifted };
}
