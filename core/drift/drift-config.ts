import type { DriftMethod } from './drift-method';
import type { DatasetDriftRule } from './drift-report';

/** Columnar sample: the bundle's DriftReference and a scored batch both have this shape. */
export interface DriftSample {
  rowCount: number;
  columns: Record<string, ArrayLike<number>>;
}

interface FeatureDriftConfig {
  method?: DriftMethod;
  threshold?: number;
}

export interface DriftConfig {
  /** Features to test; default: every MODEL_FEATURES column the reference has. */
  features?: readonly string[];
  /** Features tested as categories; default CATEGORICAL_FEATURES (BMI_Category, Age_Group). */
  categoricalFeatures?: readonly string[];
  /** One method for every feature, instead of Evidently's per-feature default. */
  method?: DriftMethod;
  /**
   * Threshold for every feature without a per-feature method. Meant together with `method` (the default selection
   * mixes p-values and distances once the reference exceeds 1,000 rows).
   */
  threshold?: number;
  /** Per-feature method and threshold; wins over `method` / `threshold`. */
  perFeature?: Record<string, FeatureDriftConfig>;
  /** Dataset drift when the share of drifted features >= this (Evidently default 0.5). */
  shareThreshold?: number;
  /** ... or when at least this many features drifted (default 3). */
  countThreshold?: number;
  /** How the share and count rules combine (default 'either'). */
  rule?: DatasetDriftRule;
  /** Equal-width bins in the UI histograms of numeric features (default 20). */
  histogramBins?: number;
  /** Absolute change in the share of zeros that marks zeroShareShift (default 0.05). */
  zeroShareTolerance?: number;
  /** Logarithm base of the Jensen-Shannon distance (default 2, so it lies in [0, 1]). */
  jensenShannonBase?: number;
  /** Names for coded categories, for histogram labels. */
  categoryLabels?: Record<string, readonly string[]>;
}

export const DEFAULT_DRIFT_CONFIG = {
  shareThreshold: 0.5,
  countThreshold: 3,
  rule: 'either' as DatasetDriftRule,
  histogramBins: 20,
  zeroShareTolerance: 0.05,
  jensenShannonBase: 2,
};
