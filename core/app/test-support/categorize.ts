import type { RiskCategory } from '../../api/outputs';

// Tests only: the contract's category rule written out independently of core/screening/categorise.ts
// (a recommended patient is never Low: Medium starts at min(cuts.medium, threshold)).
export function categorizeRiskForTest(
  score: number,
  threshold: number,
  cuts: { medium: number; high: number },
): RiskCategory {
  if (score >= cuts.high) return 'High';
  if (score >= Math.min(cuts.medium, threshold)) return 'Medium';
  return 'Low';
}
