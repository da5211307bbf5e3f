import type { RiskCategory } from '../store/store-types';

/**
 * Recommendation and risk category per score, following the contract of core/model/risk-category.ts:
 * recommended when score >= threshold; High from cuts.high; Medium from min(cuts.medium, threshold), so a
 * recommended patient is never Low.
 */
export function categoriseInto(
  scores: ArrayLike<number>,
  rowCount: number,
  threshold: number,
  cuts: { medium: number; high: number },
  categories: RiskCategory[],
  recommendations: Uint8Array,
): void {
  const mediumFrom = Math.min(cuts.medium, threshold);
  for (let i = 0; i < rowCount; i++) {
    const s = scores[i];
    recommendations[i] = s >= threshold ? 1 : 0;
    categories[i] = s >= cuts.high ? 'High' : s >= mediumFrom ? 'Medium' : 'Low';
  }
}
