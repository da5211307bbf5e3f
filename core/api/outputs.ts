/**
 * What the contract's methods return: plain JSON-serialisable shapes (structured clone over IPC, JSON over HTTP).
 * Big data stays in the main process; the renderer gets ids, pages of rows, summaries.
 */
import type { FeatureName } from '../schema/columns';

export type Role = 'clinician' | 'admin';
/** Lowest first: the rank order of sorting, and the code of each category (its index) where one is stored as a number. */
export const RISK_CATEGORIES = ['Low', 'Medium', 'High'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export interface SessionInfo {
  username: string;
  role: Role;
  locked: boolean;
  /** Minutes of inactivity before the app locks itself. */
  autoLockMinutes: number;
}

export interface ModelInfo {
  version: string;
  /** Scores at or above it are recommended for screening. */
  threshold: number;
  riskCuts: { medium: number; high: number };
  trainedAt: string | null;
}

export interface FirstRunStatus {
  /** True until the first admin exists; the UI then shows the first-run form and nothing else. */
  needsAdmin: boolean;
  /** The production model, or null when none is installed (scoring then fails with `no-model`). */
  model: ModelInfo | null;
  /** Human-readable problem with the model bundle, if any (missing / tampered file). */
  modelProblem: string | null;
}

export interface UserSummary {
  username: string;
  role: Role;
  createdAt: string;
  /** A disabled account cannot sign in, and its open sessions end at their next call. */
  disabled: boolean;
  /** Locked out after repeated failed sign-ins; an admin's unlock or a password reset lifts it. */
  lockedOut: boolean;
}

export interface ValidationIssueDto {
  severity: 'error' | 'warning';
  /** 1-based line in the file (header = 1); null for file-level problems. */
  line: number | null;
  patientId: string | null;
  column: string | null;
  value: string | null;
  /** Machine name of the rule, e.g. `missing-value`, `out-of-range`, `duplicate-id`. */
  rule: string;
  message: string;
}

export interface ValidationReportDto {
  fileName: string;
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  warningCount: number;
  /** Problems with the file as a whole (missing column, unreadable encoding). Non-empty means nothing was stored. */
  fileErrors: string[];
  issues: ValidationIssueDto[];
  /** The list is capped for the UI; the full list is in the rejected-rows export. */
  issuesTruncated: boolean;
}

export interface BatchSummary {
  batchId: string;
  fileName: string;
  source: 'file' | 'quick-score';
  importedAt: string;
  importedBy: string;
  /**
   * rejected: the file was refused as a whole (recorded for the audit, no patients stored). held: read but not
   * scored, because its values as a whole look like another unit or scale (no patients stored).
   */
  status: 'complete' | 'rejected' | 'failed' | 'held';
  /**
   * What the batch needs from a person, or null: why it was held, or that most of its rows carry warnings
   * ("completed with warnings on most rows: check the file").
   */
  attention: string | null;
  /** The units the file or configuration declared and how they were converted, e.g. "Glucose in mmol/L (...)"; null when none. */
  units: string | null;
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  counts: Record<RiskCategory, number>;
  recommendedCount: number;
  reviewedCount: number;
  modelVersion: string;
  threshold: number;
  drift: {
    verdict: 'drift' | 'no-drift' | 'not-checked';
    driftedFeatures: string[];
    /** Drifted features among those the model relies on most (each alerted on its own). */
    importantDrifted: string[];
    /** The model's scores or share of High shifted against the reference. */
    outputDrift: boolean;
  };
  durationMs: number | null;
}

export interface ImportResult {
  batch: BatchSummary;
  report: ValidationReportDto;
  /** Accepted patients scored on an assumed key measurement (see AssumedValue). */
  incompleteCount: number;
  /** Monitoring alerts this import raised (drift of any kind, recall); admins see them in the navigation. */
  alertsRaised: number;
}

/** Progress of a long import, streamed as events while `importBatch` runs. */
export interface ImportProgress {
  operationId: string;
  phase: 'reading' | 'validating' | 'scoring' | 'storing' | 'done';
  /** Rows processed so far in this phase. */
  done: number;
  /** Total rows when known. */
  total: number | null;
}

/** The latest review of a patient in a batch (reviews are appended, never edited). */
export interface ReviewState {
  by: string;
  at: string;
  note: string;
}

/** Key measurements whose absence the score hides: the model then scores an assumed (training-median) value. */
export const KEY_MEASUREMENTS = ['Glucose', 'BMI'] as const;
export type KeyMeasurement = (typeof KEY_MEASUREMENTS)[number];

/** A key measurement that was not recorded, and the value the model assumed in its place (null when unknown). */
export interface AssumedValue {
  feature: KeyMeasurement;
  unit: string;
  value: number | null;
}

export interface WorklistRow {
  /** Position in the batch (0-based), stable across sorting. */
  rowIndex: number;
  patientId: string;
  score: number;
  category: RiskCategory;
  recommended: boolean;
  /** The score lies within the borderline band around the threshold: a clinician should look at it by hand. */
  borderline: boolean;
  glucose: number | null;
  bmi: number | null;
  age: number | null;
  review: ReviewState | null;
  /** Non-empty: the patient is incomplete, the score rests on these assumed values. */
  assumed: AssumedValue[];
  /** Import warnings on this patient's line (e.g. an implausible value), as messages. */
  warnings: string[];
  /** The 3 largest reasons (TreeSHAP folded onto the inputs); null when the scoring model is not installed. */
  topFactors?: RiskFactor[] | null;
  /** Set when the risk rose since this patient's previous screening (category up, or score up 10 points or more). */
  riskRise?: RiskRise | null;
}

/** The previous screening of a patient whose risk has risen since. */
export interface RiskRise {
  previousScore: number;
  previousCategory: RiskCategory;
  previousDate: string;
}

export interface WorklistPage {
  batchId: string;
  /** Rows in the batch. */
  total: number;
  /** Rows that match the filter and search. */
  matching: number;
  offset: number;
  rows: WorklistRow[];
  /** Per category counts over the whole batch (not the filter), for the filter chips. */
  categoryCounts: Record<RiskCategory, number>;
  /** Patients of the whole batch scored on an assumed key measurement. */
  incompleteCount: number;
}

/** 'implausible': outside any value a living patient can have; a data problem, not a reading. */
export type ClinicalFlagLevel = 'normal' | 'elevated' | 'high' | 'implausible';

export interface PatientInput {
  feature: FeatureName;
  unit: string;
  /** As typed / read from the file; null when missing or recorded as an impossible zero. */
  value: number | null;
  /** What the model used (after imputation); null when the batch's model is no longer the one installed. */
  usedValue: number | null;
  imputed: boolean;
  /** Not measured but kept as recorded (Insulin 0: the test was not done; the model reads the 0 as it stands). */
  notMeasured?: boolean;
  /** Clinical reading, e.g. "Diabetes range on a 2-hour OGTT (>= 200 mg/dL)". */
  flag: { level: ClinicalFlagLevel; text: string } | null;
}

export interface RiskFactor {
  feature: string;
  value: number | null;
  /** Contribution to the log-odds (SHAP value). */
  contribution: number;
  /** 'neutral': the input barely moves the risk ("has little effect"). */
  direction: 'raises' | 'lowers' | 'neutral';
  text: string;
}

/** One step of the patient-detail waterfall, on the raw log-odds scale (before calibration). */
interface WaterfallStepDto {
  feature: string;
  label: string;
  text: string;
  contribution: number;
  start: number;
  end: number;
}

export interface WaterfallDto {
  /** Where every patient starts: the model's expected raw margin. */
  expectedValue: number;
  steps: WaterfallStepDto[];
  /** expectedValue + all contributions: this patient's raw margin. */
  margin: number;
  /** The average patient's margin as a risk score (calibrated like the headline); null when unknown. */
  expectedScore?: number | null;
}

/** One patient's score and the inputs behind it: what the detail view and quick score both show. */
interface ScoredPatient {
  patientId: string;
  score: number;
  category: RiskCategory;
  recommended: boolean;
  threshold: number;
  modelVersion: string;
  inputs: PatientInput[];
}

export interface PatientDetail extends ScoredPatient {
  batchId: string;
  rowIndex: number;
  line: number;
  review: ReviewState | null;
  /** Every review of this patient in this batch, newest first (each note as written; reviews are never edited). */
  reviewHistory: ReviewState[];
  borderline: boolean;
  /** Non-empty: the score rests on these assumed key measurements. */
  assumed: AssumedValue[];
  /** Import warnings on this patient's line. */
  warnings: string[];
  /** Every input's contribution, largest effect first; null when the scoring model is not installed. */
  factors: RiskFactor[] | null;
  waterfall: WaterfallDto | null;
}

export interface QuickScoreResult extends ScoredPatient {
  warnings: string[];
  /** Non-empty: the score rests on these assumed key measurements. */
  assumed: AssumedValue[];
  factors: RiskFactor[] | null;
  /** The batch of one it was recorded as. */
  batchId: string;
}

export interface ExportFile {
  fileName: string;
  mimeType: 'text/csv';
  content: string;
  rowCount: number;
}

export interface HighRiskList {
  batch: BatchSummary;
  generatedAt: string;
  generatedBy: string;
  rows: WorklistRow[];
}

interface AuditEventDto {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
  /** A tombstone: the retention purge event (seq) that removed its subject and details. */
  purgedBySeq: number | null;
}

/** The chain head, signed with the audit key, for an admin to save or print and keep elsewhere. */
export interface AuditCheckpointDto {
  seq: number;
  at: string;
  keyId: string;
  /** The checkpoint file's text, as `npm run audit:verify -- --checkpoint FILE` reads it. */
  text: string;
  fileName: string;
}

export interface AuditPage {
  events: AuditEventDto[];
  total: number;
  verification: { ok: boolean; checked: number; problems: { seq: number; kind: string; message: string }[] };
}
