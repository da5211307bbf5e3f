import { FEATURE_COLUMNS } from '../schema/columns';
import { COLUMN_RULES } from '../schema/rules';
import { summariseSorted } from './descriptive-stats';
import type { DistributionsSection, FeatureDistribution } from './eda-report';
import { type PreparedFeatures, ZERO_MISSING_COLUMNS } from './feature-values';
import { countSorted, edgesForSorted, toBins } from './histogram';

/** Section 3: per-feature summary statistics and a histogram of the measured values. */
export function distributionsSection(prepared: PreparedFeatures, histogramBins: number): DistributionsSection {
  const features = FEATURE_COLUMNS.map((feature): FeatureDistribution => {
    const p = prepared[feature];
    const edges = edgesForSorted(p.sorted, histogramBins, COLUMN_RULES[feature].integer);
    return {
      feature,
      zerosExcluded: p.zerosExcluded,
      excludedCount: p.missingCount,
      stats: summariseSorted(p.sorted),
      bins: edges.length ? toBins(edges, countSorted(p.sorted, edges)) : [],
    };
  });
  return { zerosExcludedFor: [...ZERO_MISSING_COLUMNS], features };
}
