import { FEATURE_COLUMNS } from '../schema/columns';
import { COLUMN_RULES } from '../schema/rules';
import { mean, quantileSorted, sampleStd } from './descriptive-stats';
import type { ClassStats, FeatureOutcomeComparison, FeatureVsOutcomeSection } from './eda-report';
import type { PreparedFeatures } from './feature-values';
import { countSorted, edgesForSorted, toClassBins } from './histogram';
import { mannWhitneySorted } from './mann-whitney';

const FEATURE_VS_OUTCOME_NOTE =
  "Per-class statistics over measured values (zeros counted as missing are left out). Effect size: Cohen's d with " +
  'the pooled sample standard deviation; test: two-sided Mann-Whitney U, normal approximation with tie and ' +
  'continuity correction. Ranked by |d|.';
const NO_OUTCOME_NOTE = 'Needs outcomes: this table has none (a screening batch), so there are no classes to compare.';

/** Section 4: each feature against the outcome, ranked by effect size. */
export function featureVsOutcomeSection(prepared: PreparedFeatures, histogramBins: number): FeatureVsOutcomeSection {
  if (FEATURE_COLUMNS.some((f) => prepared[f].byClass === null)) return { features: null, note: NO_OUTCOME_NOTE };
  const features = FEATURE_COLUMNS.map((feature) => compareFeature(prepared, feature, histogramBins));
  // Largest |d| first; an undefined d ranks last, ties keep the column order.
  const size = (d: number | null) => (d === null ? -1 : Math.abs(d));
  features.sort((a, b) => size(b.cohensD) - size(a.cohensD));
  features.forEach((f, i) => {
    f.rank = i + 1;
  });
  return { features, note: FEATURE_VS_OUTCOME_NOTE };
}

function compareFeature(
  prepared: PreparedFeatures,
  feature: (typeof FEATURE_COLUMNS)[number],
  histogramBins: number,
): FeatureOutcomeComparison {
  const p = prepared[feature];
  const { negative, positive } = p.byClass as { negative: Float64Array; positive: Float64Array };
  const neg = classStats(negative);
  const pos = classStats(positive);
  const edges = edgesForSorted(p.sorted, histogramBins, COLUMN_RULES[feature].integer);
  return {
    feature,
    rank: 0,
    zerosExcluded: p.zerosExcluded,
    negative: neg,
    positive: pos,
    meanDifferencePercent: percentDifference(pos.mean, neg.mean),
    medianDifferencePercent: percentDifference(pos.median, neg.median),
    cohensD: cohensD(positive, negative),
    mannWhitney: mannWhitneySorted(positive, negative),
    bins: edges.length
      ? toClassBins(edges, countSorted(negative, edges), countSorted(positive, edges), negative.length, positive.length)
      : [],
  };
}

function classStats(sorted: Float64Array): ClassStats {
  return { n: sorted.length, mean: mean(sorted), median: quantileSorted(sorted, 0.5), std: sampleStd(sorted) };
}

/** (a − b) / b × 100; null when undefined or b is 0. */
function percentDifference(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return ((a - b) / b) * 100;
}

/**
 * Cohen's d of x against y: (mean x − mean y) / s_pooled, s_pooled = sqrt(((n_x − 1)s_x² + (n_y − 1)s_y²) / (n_x + n_y − 2))
 * with sample variances; null when a class has fewer than 2 values or s_pooled is 0.
 */
export function cohensD(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const sx = sampleStd(x);
  const sy = sampleStd(y);
  if (sx === null || sy === null) return null;
  const nx = x.length;
  const ny = y.length;
  const pooled = Math.sqrt(((nx - 1) * sx * sx + (ny - 1) * sy * sy) / (nx + ny - 2));
  if (!(pooled > 0)) return null;
  return ((mean(x) as number) - (mean(y) as number)) / pooled;
}
