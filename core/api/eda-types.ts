import type { FeatureName } from '../schema/columns';

// The EDA report as the contract carries it; core/eda/analyse-dataset.ts computes it (core/eda/eda-report.ts
// re-exports these types for the computing side).

/**
 * The exploratory data analysis report: plain JSON (numbers, strings, booleans, arrays, null; never NaN, Infinity
 * or typed arrays), so it crosses IPC/HTTP unchanged and charts directly. A statistic that is undefined for the data
 * (a mean of no values, a skewness of two values) is null. Type-only imports, so the contract layer may import it.
 */

export interface EdaOptions {
  /** Target number of histogram bins (integer features use whole-number-wide bins, so they may get fewer). */
  histogramBins?: number;
  /** |z| above this flags an outlier. */
  outlierZ?: number;
  /** Subgroups with fewer rows than this are flagged as too small for a reliable rate. */
  smallGroupMin?: number;
  /** How many of the most extreme outliers to list per feature. */
  outliersListed?: number;
  /** |r| above this between two features counts as severe multicollinearity. */
  multicollinearityR?: number;
}

export type ResolvedEdaOptions = Required<EdaOptions>;

/**
 * How a zero is read, per feature:
 * - 'missing-imputed': zero means "not measured"; the preprocessor replaces it by the training median (ZERO_IMPUTE_COLUMNS);
 * - 'missing-kept': zero most likely means "not measured" but is kept as 0 for the model (Insulin);
 * - 'valid': zero is a real value (Pregnancies) or does not occur by the data contract.
 */
export type ZeroPolicy = 'missing-imputed' | 'missing-kept' | 'valid';

/** One bar: values in [x0, x1) (the last bin also holds x1), as numpy.histogram. */
export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

/** One bar pair on bins common to both classes; shares are within the class, so unequal classes compare. */
export interface ClassHistogramBin {
  x0: number;
  x1: number;
  negative: number;
  positive: number;
  negativeShare: number;
  positiveShare: number;
}

// 1. Overview

export interface ClassBalance {
  positives: number;
  negatives: number;
  /** positives / rows. */
  positiveShare: number;
}

export interface OverviewSection {
  rowCount: number;
  featureCount: number;
  features: FeatureName[];
  /** null without outcomes (screening batches). */
  classBalance: ClassBalance | null;
}

// 2. Missing data

export interface FeatureMissingness {
  feature: FeatureName;
  zeroPolicy: ZeroPolicy;
  zeroCount: number;
  zeroShare: number;
  /** Rows without a value at all (the ingest rejects these, so normally 0). */
  nanCount: number;
  /** Counted as missing by this analysis: zeros under a 'missing-*' policy, plus NaN. */
  missingCount: number;
  missingShare: number;
  note: string;
}

export interface MissingDataSection {
  rowCount: number;
  features: FeatureMissingness[];
  /** Rows with at least one value counted as missing. */
  rowsWithAnyMissing: number;
  rowsWithAnyMissingShare: number;
  /** Why Insulin zeros are kept rather than imputed. */
  insulinNote: string;
}

// 3. Distributions

export interface SummaryStats {
  n: number;
  mean: number | null;
  /** Sample standard deviation (ddof = 1), as pandas' std(). */
  std: number | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
  /** Bias-corrected sample skewness (adjusted Fisher-Pearson G1), as pandas' skew(); null below 3 values. */
  skewness: number | null;
}

export interface FeatureDistribution {
  feature: FeatureName;
  /** True when zeros were left out as missing (ZERO_IMPUTE_COLUMNS and Insulin). */
  zerosExcluded: boolean;
  /** Values left out (zeros counted as missing, NaN). */
  excludedCount: number;
  stats: SummaryStats;
  bins: HistogramBin[];
}

export interface DistributionsSection {
  /** Features whose zeros were left out of the statistics and histograms. */
  zerosExcludedFor: FeatureName[];
  features: FeatureDistribution[];
}

// 4. Feature against outcome

export interface ClassStats {
  n: number;
  mean: number | null;
  median: number | null;
  std: number | null;
}

export interface MannWhitneyResult {
  /** U of the positive class (scipy's statistic for x = positives, y = negatives). */
  u: number;
  z: number;
  /** Two-sided, normal approximation with tie and continuity correction (scipy method='asymptotic'). */
  pValue: number;
}

export interface FeatureOutcomeComparison {
  feature: FeatureName;
  /** 1 = largest |Cohen's d|. */
  rank: number;
  zerosExcluded: boolean;
  negative: ClassStats;
  positive: ClassStats;
  /** (positive mean − negative mean) / negative mean × 100. */
  meanDifferencePercent: number | null;
  /** (positive median − negative median) / negative median × 100. */
  medianDifferencePercent: number | null;
  /** (positive mean − negative mean) / pooled sample std. */
  cohensD: number | null;
  mannWhitney: MannWhitneyResult | null;
  bins: ClassHistogramBin[];
}

export interface FeatureVsOutcomeSection {
  /** Ranked by |Cohen's d|, largest first; null without outcomes. */
  features: FeatureOutcomeComparison[] | null;
  note: string;
}

// 5. Correlation

export interface CorrelationPair {
  a: string;
  b: string;
  r: number;
  n: number;
}

export interface CorrelationSection {
  /** The 8 features, then 'Outcome' when outcomes exist. */
  columns: string[];
  /** Pearson r, pairwise-complete over values not counted as missing; null where undefined (constant or < 2 pairs). */
  matrix: (number | null)[][];
  /** Rows used per cell. */
  counts: number[][];
  /** The largest |r| between two features (Outcome not included); null if none is defined. */
  strongestFeaturePair: CorrelationPair | null;
  threshold: number;
  /** Feature pairs with |r| above the threshold, largest first. */
  pairsAboveThreshold: CorrelationPair[];
  severeMulticollinearity: boolean;
  /** Correlation of each feature with Outcome, largest |r| first; null without outcomes. */
  withOutcome: CorrelationPair[] | null;
}

// 6. Clinical thresholds

export interface ThresholdBand {
  id: string;
  label: string;
  /** Inclusive lower bound, or null for none. */
  lower: number | null;
  /** Exclusive upper bound, or null for none. */
  upper: number | null;
  /** True for the band at or beyond the clinical threshold. */
  flagged: boolean;
  count: number;
  /** count / measured rows. */
  share: number;
  /** null without outcomes or for an empty band. */
  positives: number | null;
  positiveRate: number | null;
}

export interface ClinicalThreshold {
  feature: 'Glucose' | 'BMI' | 'BloodPressure';
  title: string;
  /** Rows without a measured value (zero or NaN), not in any band. */
  missingCount: number;
  measuredCount: number;
  bands: ThresholdBand[];
  caveat: string | null;
}

export interface ClinicalThresholdsSection {
  thresholds: ClinicalThreshold[];
  /** Positive share over all rows, for comparison; null without outcomes. */
  overallPositiveRate: number | null;
}

// 7. Subgroups

export interface SubgroupRate {
  /** Code as the feature engineer assigns it (Age_Group / BMI_Category). */
  code: number;
  label: string;
  count: number;
  share: number;
  positives: number | null;
  positiveRate: number | null;
  /** count < smallGroupMin: the rate is not reliable. */
  small: boolean;
}

export interface SubgroupVariable {
  variable: 'Age_Group' | 'BMI_Category';
  /** Rows whose source value is missing (BMI zero), not in any group. */
  missingCount: number;
  groups: SubgroupRate[];
}

export interface SubgroupsSection {
  smallGroupMin: number;
  overallPositiveRate: number | null;
  variables: SubgroupVariable[];
}

// 8. Outliers

export interface OutlierPatient {
  patientId: string;
  lineNumber: number;
  /** The value's z-score in its own feature (no other patient data is listed). */
  z: number;
}

export interface FeatureOutliers {
  feature: FeatureName;
  zerosExcluded: boolean;
  /** Values the z-scores were computed over. */
  n: number;
  mean: number | null;
  /** Population standard deviation (ddof = 0), as scipy.stats.zscore and the ingest's z-score warning. */
  std: number | null;
  count: number;
  /** count / n. */
  share: number;
  low: number;
  high: number;
  /** The most extreme, largest |z| first (ties by file order). */
  extremes: OutlierPatient[];
}

export interface OutliersSection {
  zThreshold: number;
  zerosExcludedFor: FeatureName[];
  features: FeatureOutliers[];
  totalFlaggedValues: number;
  rowsWithAnyOutlier: number;
}

// 9. Key findings

type FindingTopic =
  | 'overview'
  | 'strongest-predictor'
  | 'class-balance'
  | 'missing-data'
  | 'skewness'
  | 'multicollinearity'
  | 'clinical-thresholds'
  | 'subgroups'
  | 'outliers';

export interface KeyFinding {
  topic: FindingTopic;
  text: string;
  /** True when the finding rests on outcomes (absent for screening batches). */
  usesOutcome: boolean;
}

export interface EdaReport {
  rowCount: number;
  hasOutcome: boolean;
  /** The parts left empty (null) when the table has no outcome, named as report paths. */
  outcomeDependentParts: string[];
  options: ResolvedEdaOptions;
  overview: OverviewSection;
  missingData: MissingDataSection;
  distributions: DistributionsSection;
  featureVsOutcome: FeatureVsOutcomeSection;
  correlation: CorrelationSection;
  clinicalThresholds: ClinicalThresholdsSection;
  subgroups: SubgroupsSection;
  outliers: OutliersSection;
  keyFindings: KeyFinding[];
}
