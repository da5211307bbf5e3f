// The monitoring view's data as the contract carries it: realised weekly performance (core/monitoring/
// weekly-performance.ts computes it), label-free estimates (core/monitoring/cbpe.ts) and stored alerts. The computing
// side re-exports these types from those files.

/** The model's own estimate from training (metadata.json validation_estimates), shown beside realised numbers. */
export interface ValidationEstimate {
  recall: number;
  precision: number;
  f2: number;
  auc: number;
}

export interface SubgroupRecall {
  group: string;
  n: number;
  positives: number;
  /** null without positives. */
  recall: number | null;
}

export interface WeeklyPerformance {
  week: string;
  modelVersion: string;
  n: number;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** null when undefined (no positives / no recommendations / one class only). */
  recall: number | null;
  precision: number | null;
  f2: number | null;
  auc: number | null;
  /** false: too few labels to judge; the week neither raises nor clears a recall alert. */
  judged: boolean;
  /** Human-readable status, e.g. "too few labels to judge (12 labels, 3 positives; needs 30 and 10)". */
  status: string;
  subgroupRecall: SubgroupRecall[];
  /** The model version's validation estimate, when known. */
  validationEstimate: ValidationEstimate | null;
}

export interface EstimatedMetric {
  value: number | null;
  standardError: number | null;
  /** value ± bandWidth standard errors, clipped to [0, 1]; null when undefined. */
  lower: number | null;
  upper: number | null;
}

/** Confidence-based performance estimate (NannyML's CBPE) of a batch from its calibrated probabilities alone. */
export interface CbpeEstimate {
  n: number;
  threshold: number;
  beta: number;
  expected: { tp: number; fp: number; fn: number; tn: number };
  recall: EstimatedMetric;
  precision: EstimatedMetric;
  fBeta: EstimatedMetric;
}

export interface WeeklyEstimate {
  week: string;
  modelVersion: string;
  estimate: CbpeEstimate;
}

/** A stored alert, as the admin views show it; the store's alert repository returns this type. */
export interface AlertRecord {
  id: number;
  kind: string;
  week: string | null;
  modelVersion: string | null;
  batchId: number | null;
  message: string;
  details: Record<string, unknown>;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}
