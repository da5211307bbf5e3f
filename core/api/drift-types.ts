// The drift report as the contract carries it (the admin's drift view renders it as it is); core/drift computes it
// (detect-drift.ts) and re-exports these types from core/drift/drift-report.ts for the computing side.

/**
 * The drift tests available per feature; names follow Evidently's stattest names. core/drift/drift-method.ts lists
 * them at run time (DRIFT_METHODS, for the config schema) and describes each (DRIFT_METHOD_INFO).
 */
export type DriftMethod = 'ks' | 'chisquare' | 'chisquare-contingency' | 'z' | 'wasserstein' | 'jensenshannon';

/** Bins shared by the reference and current histograms, for side-by-side bars. */
export interface HistogramBins {
  /** One label per bin: a category name, a value, or "[lower, upper)". */
  labels: string[];
  /** Bin edges (labels.length + 1) for numeric bins; null when each bin is one value or category. */
  edges: number[] | null;
}

export interface FeatureDrift {
  feature: string;
  /** 'bin' = at most two distinct values; otherwise the declared kind. */
  type: 'num' | 'cat' | 'bin';
  method: DriftMethod;
  /** Display name of the test that produced the result, e.g. "K-S p_value". */
  methodLabel: string;
  /** Test statistic (KS D, chi-square, z) or the distance; null when undefined (a category the reference lacks). */
  statistic: number | null;
  /** For p-value tests; null for distances. */
  pValue: number | null;
  /** The number compared with the threshold: the p-value or the distance; null when nothing could be tested. */
  score: number | null;
  threshold: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  /** Common bins of the two histograms. */
  bins: HistogramBins;
  /** Reference counts per bin (non-missing values). */
  referenceHistogram: number[];
  /** Current counts per bin (non-missing values). */
  currentHistogram: number[];
  /**
   * Shares of all rows that are exactly 0 (the Pima file's "not measured"); null for categorical features,
   * whose code 0 is a category, not a missing measurement.
   */
  referenceZeroShare: number | null;
  currentZeroShare: number | null;
  /** Shares of all rows that are missing (NaN). */
  referenceMissingShare: number;
  currentMissingShare: number;
  /** |current - reference| zero share >= the configured tolerance (numeric features). Informational; not in the verdict. */
  zeroShareShift: boolean;
  /** Why a result is unusual, e.g. no current values. */
  note?: string;
}

export interface DatasetDrift {
  featureCount: number;
  driftedCount: number;
  share: number;
  shareThreshold: number;
  countThreshold: number;
  /** share >= shareThreshold (Evidently's dataset drift). */
  shareRule: boolean;
  /** driftedCount >= countThreshold (the dataset-level alert rule). */
  countRule: boolean;
  /** How the two rules combine into `drifted`. */
  rule: DatasetDriftRule;
  drifted: boolean;
}

export type DatasetDriftRule = 'either' | 'share' | 'count' | 'both';

/** Plain JSON (no NaN or Infinity), so it can be stored with the batch and sent to the UI as is. */
export interface DriftReport {
  reportVersion: 1;
  referenceRows: number;
  currentRows: number;
  /** Drifted features first, then in column order. */
  features: FeatureDrift[];
  driftedFeatures: string[];
  datasetDrift: DatasetDrift;
  /** Drift in the features the model leans on most; absent in reports stored before it was computed. */
  importance?: ImportanceDrift;
  /** The batch's scores against the model's scores on the reference; absent when not computed. */
  output?: OutputDrift;
}

/**
 * The share and count rules treat every feature alike, so one drifted feature that carries much of the model's
 * weight (Glucose, say) passes them. This verdict looks only at the features the model leans on most.
 */
export interface ImportanceDrift {
  /** A feature is important when it ranks within the top `topN` by mean |SHAP|, or carries `minShare` of the total. */
  rule: { topN: number; minShare: number };
  /** The important features, most important first, with their share of the model's total mean |SHAP|. */
  important: { feature: string; share: number; rank: number; drifted: boolean }[];
  driftedImportant: string[];
  drifted: boolean;
}

/** What the model did with the batch: its score distribution and its share of High, against the reference. */
export interface OutputDrift {
  /** The batch's scores tested against the model's scores on the reference rows, as a numeric feature. */
  score: FeatureDrift;
  highShare: {
    /** The High cut the share was counted at. */
    highCut: number;
    referenceShare: number;
    currentShare: number;
    referenceRows: number;
    currentRows: number;
    /** Pooled two-proportion z-test. */
    pValue: number;
    threshold: number;
    drifted: boolean;
  };
  drifted: boolean;
}
