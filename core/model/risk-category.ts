import type { RiskCategory } from '../api/outputs';

/** The cuts between the risk bands shown to clinicians; configurable, 0.35 and 0.60 by default. */

export interface RiskCuts {
  medium: number;
  high: number;
}

export const DEFAULT_RISK_CUTS: Readonly<RiskCuts> = Object.freeze({ medium: 0.35, high: 0.6 });

/**
 * Low below the Medium cut, High from the High cut. A patient recommended for screening (score >= threshold)
 * is never Low: when the threshold lies below the Medium cut, Medium starts at the threshold.
 */
export function categorizeRisk(score: number, threshold: number, cuts: RiskCuts): RiskCategory {
  if (!(cuts.medium <= cuts.high))
    throw new RangeError(`risk cuts out of order: medium ${cuts.medium} > high ${cuts.high}`);
  if (Number.isNaN(score)) throw new RangeError('risk score is NaN');
  if (score >= cuts.high) return 'High';
  if (score >= Math.min(cuts.medium, threshold)) return 'Medium';
  return 'Low';
}
