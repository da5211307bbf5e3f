import type { RiskCategory } from '../api/outputs';
import { categorizeRisk, type RiskCuts } from '../model/risk-category';

/** Recommendation (score >= threshold) and risk category (core/model/risk-category.ts) of every score. */
export function categoriseInto(
  scores: ArrayLike<number>,
  rowCount: number,
  threshold: number,
  cuts: RiskCuts,
  categories: RiskCategory[],
  recommendations: Uint8Array,
): void {
  for (let i = 0; i < rowCount; i++) {
    const s = scores[i];
    recommendations[i] = s >= threshold ? 1 : 0;
    categories[i] = categorizeRisk(s, threshold, cuts);
  }
}
