import type { FeatureRange } from '../ingest/ingest-options';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import { zeroMeansMissing } from '../schema/rules';

/**
 * The range of each feature's present values in a model's training data (its drift reference holds the training
 * rows), for the far-outside-training warning. A zero that stands for "not measured" is not a value.
 */
export function trainingRangeOf(columns: Record<FeatureName, ArrayLike<number>>): FeatureRange {
  const min = {} as Record<FeatureName, number>;
  const max = {} as Record<FeatureName, number>;
  for (const name of FEATURE_COLUMNS) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    const values = columns[name];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === 0 && zeroMeansMissing(name)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // A column with no present value in training gives no bound rather than an infinite one.
    min[name] = Number.isFinite(lo) ? lo : Number.NEGATIVE_INFINITY;
    max[name] = Number.isFinite(hi) ? hi : Number.POSITIVE_INFINITY;
  }
  return { min, max };
}
