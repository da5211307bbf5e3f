import type { RiskCategory } from '../api/outputs';

/**
 * When a patient's risk counts as having risen since their previous screening: the category moved up (Low to
 * Medium or High, Medium to High), or the score rose by at least this much on the 0-1 scale (10 points on the
 * percent scale the app shows), which catches a large rise within one category.
 */
export const RISK_RISE_SCORE_STEP = 0.1;

const RANK: Record<RiskCategory, number> = { Low: 0, Medium: 1, High: 2 };

export interface Screening {
  score: number;
  category: RiskCategory;
}

export function riskRose(previous: Screening, current: Screening): boolean {
  // Compared in whole tenths of a percent, so 0.35 -> 0.45 counts as the 10 points it shows as.
  const risePermille = Math.round(current.score * 1000) - Math.round(previous.score * 1000);
  return RANK[current.category] > RANK[previous.category] || risePermille >= Math.round(RISK_RISE_SCORE_STEP * 1000);
}
