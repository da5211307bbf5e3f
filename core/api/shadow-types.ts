import type { WeeklyPerformance } from './monitoring-types';
import type { RiskCategory } from './outputs';

/** Shadow scoring (champion/challenger) as the admin views and `monitor --shadow` show it. */

export interface ShadowAssignmentDto {
  id: number;
  modelId: string;
  modelVersion: string;
  onnxSha256: string;
  assignedAt: string;
  assignedBy: string;
  clearedAt: string | null;
  clearedBy: string | null;
}

export interface ScoreDistribution {
  n: number;
  mean: number | null;
  /** Linear-interpolation quantiles (as numpy's default) of the scores. */
  quantiles: { p05: number; p25: number; p50: number; p75: number; p95: number } | null;
  /** Counts in ten bins of width 0.1 over [0, 1]; a score of 1 falls in the last. */
  histogram: number[];
}

export interface RecommendationAgreement {
  /** Patients both models scored. */
  n: number;
  /** Same screening recommendation from both. */
  agreeing: number;
  /** agreeing / n; null when n is 0. */
  rate: number | null;
  /** Recommended by production only, and by the shadow only. */
  productionOnly: number;
  shadowOnly: number;
}

/** flips[production category][shadow category]: patients in each (e.g. flips.High.Medium: High would become Medium). */
export type CategoryFlips = Record<RiskCategory, Record<RiskCategory, number>>;

/** Confusion counts at the issued recommendation and the realised rates, as in the weekly table. */
export type SideMetrics = Pick<WeeklyPerformance, 'tp' | 'fp' | 'fn' | 'tn' | 'recall' | 'precision' | 'f2' | 'auc'>;

/**
 * McNemar's test on the labelled patients: b = production's recommendation right and the shadow's wrong, c the
 * other way round. Exact two-sided binomial p-value while b + c < 25, otherwise chi-square (1 degree of freedom)
 * with continuity correction.
 */
export interface McNemarResult {
  productionOnlyRight: number;
  shadowOnlyRight: number;
  method: 'exact' | 'chi-square';
  /** The chi-square statistic; null for the exact test. */
  statistic: number | null;
  pValue: number;
}

export interface DecisionEstimate {
  /** p < 0.05 already: the better model on these patients; null while undecided. */
  decided: 'production' | 'shadow' | null;
  /** ISO weeks from the first to the last labelled prediction, both included. */
  weeksObserved: number;
  discordantPerWeek: number | null;
  /** Discordant pairs the test needs at the observed ratio; null when it cannot say. */
  discordantNeeded: number | null;
  /** Further weeks at the current labelling rate; 0 when decided; null when it cannot say (reason says why). */
  weeksNeeded: number | null;
  reason: string;
}

export interface LabelledComparison {
  labelledPatients: number;
  positives: number;
  production: SideMetrics;
  shadow: SideMetrics;
  mcnemar: McNemarResult;
  decision: DecisionEstimate;
}

export interface ShadowBatchDto {
  batchId: number;
  modelVersion: string;
  productionVersion: string | null;
  predictionDate: string;
  status: 'scored' | 'failed';
  error: string | null;
  rowCount: number;
}

export interface ShadowComparison {
  shadowVersion: string;
  productionVersions: string[];
  agreement: RecommendationAgreement;
  flips: CategoryFlips;
  distributions: { production: ScoreDistribution; shadow: ScoreDistribution };
  labelled: LabelledComparison;
  batches: ShadowBatchDto[];
}

export interface ShadowStatus {
  current: ShadowAssignmentDto | null;
  history: ShadowAssignmentDto[];
  /** Versions that have shadow scores (newest assignment first), to compare. */
  comparedVersions: string[];
  /** The comparison of the current shadow (or the newest compared version); null when there is none. */
  comparison: ShadowComparison | null;
}
