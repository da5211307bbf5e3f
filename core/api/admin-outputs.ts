/**
 * What the admin methods return: plain JSON shapes. The reports computed in core are defined once, in the
 * contract files beside this one (eda-types, drift-types, label-types, monitoring-types), and core computes values
 * of those types; this file wraps them with what the views need around them.
 */
import type { DriftReport } from './drift-types';
import type { EdaReport } from './eda-types';
import type { LabelImportReport } from './label-types';
import type { AlertRecord, WeeklyEstimate, WeeklyPerformance } from './monitoring-types';

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

// ---- Drift (the report: drift-types.ts) ----

export interface DriftResult {
  batchId: string;
  fileName: string;
  predictionDate: string;
  computedAt: string;
  report: DriftReport;
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

// ---- Labels and monitoring (the reports: label-types.ts, monitoring-types.ts) ----

export interface MonitoringSummary {
  weeks: WeeklyPerformance[];
  estimates: WeeklyEstimate[];
  /** Newest first. */
  alerts: AlertRecord[];
  /** Alerts this refresh raised for the first time. */
  raisedNow: number;
  /** The recall the model is tuned for (0.85 unless the bundle says otherwise) and the alert line (config: 0.80). */
  targetRecall: number;
  alertRecall: number;
  labelCount: number;
  /** Judged weeks in a row below alertRecall before a recall alert is raised. */
  consecutiveWeeks: number;
  /** Why there is, or is not yet, a recall alert, in words (e.g. one week below the line of two needed). */
  recallAlertStatus: string;
}

export interface LabelImportResult {
  report: LabelImportReport;
  monitoring: MonitoringSummary;
}

// ---- Models ----

type ModelLocation = 'production' | 'production_backup' | 'experiment' | 'archive';

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
  /**
   * The actions that make sense for this row: promote only a usable version newer than production (the backup is
   * restored by rollback, not promoted), rollback only on the backup row.
   */
  canPromote: boolean;
  canRollBack: boolean;
}

export interface ModelList {
  productionVersion: string | null;
  backupVersion: string | null;
  versions: ModelVersionDto[];
}

interface TrialDto {
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
  /** The batch's own peak: the resident set's high-water mark during the batch above its level at the start. */
  batchMemoryMb: number | null;
  cpuUserMs: number | null;
  cpuSystemMs: number | null;
}
