/**
 * What the admin methods return (issue 7): plain JSON shapes. Reports computed in core (drift, monitoring, label
 * import) are mirrored here as types because core/api may import only zod, ./ and ../schema/;
 * core/service/admin-types.test.ts checks each mirror against its source type, so they cannot drift apart silently.
 */
import type { EdaReport } from './eda-types';

// ---- EDA ----

export interface EdaResult {
  /** 'training': the model's training data; 'file': a CSV the admin loaded (batch format, no outcome). */
  source: 'training' | 'file';
  /** File name only (never a folder path). */
  name: string;
  /** Rows refused by the validation rules (left out of the analysis). */
  rejectedRows: number;
  report: EdaReport;
}

// ---- Drift (mirror of core/drift/drift-report.ts) ----

export interface HistogramBinsDto {
  labels: string[];
  edges: number[] | null;
}

export interface FeatureDriftDto {
  feature: string;
  type: 'num' | 'cat' | 'bin';
  method: string;
  methodLabel: string;
  statistic: number | null;
  pValue: number | null;
  score: number | null;
  threshold: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  bins: HistogramBinsDto;
  referenceHistogram: number[];
  currentHistogram: number[];
  referenceZeroShare: number | null;
  currentZeroShare: number | null;
  referenceMissingShare: number;
  currentMissingShare: number;
  zeroShareShift: boolean;
  note?: string;
}

export interface DatasetDriftDto {
  featureCount: number;
  driftedCount: number;
  share: number;
  shareThreshold: number;
  countThreshold: number;
  shareRule: boolean;
  countRule: boolean;
  rule: 'either' | 'share' | 'count' | 'both';
  drifted: boolean;
}

export interface DriftReportDto {
  reportVersion: 1;
  referenceRows: number;
  currentRows: number;
  features: FeatureDriftDto[];
  driftedFeatures: string[];
  datasetDrift: DatasetDriftDto;
}

export interface DriftResult {
  batchId: string;
  fileName: string;
  predictionDate: string;
  computedAt: string;
  report: DriftReportDto;
}

/** One batch in the drift history chart. */
export interface DriftHistoryPoint {
  batchId: string;
  fileName: string;
  predictionDate: string;
  rows: number;
  datasetDrift: boolean;
  driftedCount: number;
  featureCount: number;
  share: number;
  driftedFeatures: string[];
}

// ---- Labels and monitoring (mirrors of core/labels and core/monitoring) ----

export interface LabelImportReportDto {
  file: string;
  status: 'imported' | 'rejected';
  message: string | null;
  rowsRead: number;
  matched: number;
  inserted: number;
  unchanged: number;
  unmatched: { line: number; patientId: string; diagnosisDate: string | null; reason: string }[];
  conflicts: {
    line: number | null;
    patientId: string;
    diagnosisDate: string | null;
    storedOutcome: 0 | 1;
    newOutcome: 0 | 1;
  }[];
  rejected: { line: number; patientId: string | null; column: string; value: string; message: string }[];
}

export interface ValidationEstimateDto {
  recall: number;
  precision: number;
  f2: number;
  auc: number;
}

export interface WeeklyPerformanceDto {
  week: string;
  modelVersion: string;
  n: number;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  recall: number | null;
  precision: number | null;
  f2: number | null;
  auc: number | null;
  judged: boolean;
  status: string;
  subgroupRecall: { group: string; n: number; positives: number; recall: number | null }[];
  validationEstimate: ValidationEstimateDto | null;
}

export interface EstimatedMetricDto {
  value: number | null;
  standardError: number | null;
  lower: number | null;
  upper: number | null;
}

export interface WeeklyEstimateDto {
  week: string;
  modelVersion: string;
  estimate: {
    n: number;
    threshold: number;
    beta: number;
    expected: { tp: number; fp: number; fn: number; tn: number };
    recall: EstimatedMetricDto;
    precision: EstimatedMetricDto;
    fBeta: EstimatedMetricDto;
  };
}

export interface AlertDto {
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

export interface MonitoringSummary {
  weeks: WeeklyPerformanceDto[];
  estimates: WeeklyEstimateDto[];
  /** Newest first. */
  alerts: AlertDto[];
  /** Alerts this refresh raised for the first time. */
  raisedNow: number;
  /** The recall the model is tuned for (reference design: 0.85) and the alert line (config: 0.80). */
  targetRecall: number;
  alertRecall: number;
  labelCount: number;
}

export interface LabelImportResult {
  report: LabelImportReportDto;
  monitoring: MonitoringSummary;
}

// ---- Models ----

export type ModelLocation = 'production' | 'production_backup' | 'experiment' | 'archive';

export interface ModelVersionDto {
  /** Registry-relative id, e.g. "production" or "experiments/model_20260101_120000"; what promote takes. */
  id: string;
  location: ModelLocation;
  version: string | null;
  /** Why the bundle cannot be used (unreadable metadata), else null. Promote verifies every sha256 again. */
  problem: string | null;
  algorithm: string | null;
  trainedAt: string | null;
  threshold: number | null;
  targetRecall: number | null;
  riskCuts: { medium: number; high: number } | null;
  calibration: { method: string; slope: number; intercept: number } | null;
  testMetrics: Record<string, unknown>;
  validationEstimates: Record<string, unknown> | null;
  cvEstimates: Record<string, unknown> | null;
  bestParams: Record<string, unknown>;
  /** MODEL_CARD.md beside metadata.json (markdown text), or null. */
  modelCard: string | null;
}

export interface ModelList {
  productionVersion: string | null;
  backupVersion: string | null;
  versions: ModelVersionDto[];
}

export interface TrialDto {
  number: number;
  value: number | null;
  state: 'complete' | 'infeasible' | 'failed';
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

export interface TrainingRunDto {
  id: number;
  name: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  metrics: Record<string, unknown>;
  trials: TrialDto[];
}

/** Global explanation of one version: mean |SHAP| (raw log-odds) over the training data. */
export interface ModelImportance {
  modelId: string;
  version: string;
  rows: number;
  /** The 11 model features, most important first. */
  model: { feature: string; meanAbsShap: number; rank: number }[];
  /** Folded onto the 8 clinical inputs, most important first. */
  clinical: { feature: string; meanAbsShap: number; rank: number }[];
  /** SHAP summary (beeswarm) data per clinical input, most important first: [input value or null, SHAP] per row. */
  summary: { feature: string; meanAbsShap: number; rank: number; points: [number | null, number][] }[];
}

// ---- System health ----

export interface BatchHealthDto {
  batchId: string;
  fileName: string;
  source: string;
  status: string;
  startedAt: string;
  rows: number;
  rejectedRows: number;
  rejectedByRule: Record<string, number>;
  durationMs: number | null;
  rowsPerSecond: number | null;
  retryAttempts: number;
  peakRssMb: number | null;
  cpuUserMs: number | null;
  cpuSystemMs: number | null;
}
