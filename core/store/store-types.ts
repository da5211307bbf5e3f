import type { AlertRecord } from '../api/monitoring-types';
import type { PatientTable } from '../table/patient-table';
import type { ChainVerification } from './audit-chain';

/** The store's API. Only core/store/sqlite-store.ts implements it; everything else receives a Store. */

export type RiskCategory = 'Low' | 'Medium' | 'High';
export type UserRole = 'clinician' | 'admin';

// ---- experiments (training, CV, benchmarks) ----
export type RunKind = 'train' | 'cv' | 'bench';
export type RunStatus = 'running' | 'finished' | 'failed';
export type TrialState = 'complete' | 'infeasible' | 'failed';

export interface StartRunInput {
  name: string;
  kind: RunKind;
  params: object;
  tags: Record<string, string>;
  dataSha256: string;
}
export interface TrialInput {
  number: number;
  params: object;
  value: number | null;
  state: TrialState;
  metrics: object;
}
export interface FinishRunInput {
  status: 'finished' | 'failed';
  artifactPaths: string[];
  metrics: object;
}
export interface RunRecord {
  id: number;
  name: string;
  kind: RunKind;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  dataSha256: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  artifactPaths: string[];
  metrics: Record<string, unknown>;
}
export interface TrialRecord {
  runId: number;
  number: number;
  params: Record<string, unknown>;
  value: number | null;
  state: TrialState;
  metrics: Record<string, unknown>;
  recordedAt: string;
}
export interface MetricRecord {
  runId: number;
  key: string;
  value: number | null;
  step: number | null;
  loggedAt: string;
}
export interface ExperimentStore {
  startRun(input: StartRunInput): number;
  logMetric(runId: number, key: string, value: number, step?: number): void;
  recordTrial(runId: number, trial: TrialInput): void;
  finishRun(runId: number, result: FinishRunInput): void;
  getRun(runId: number): RunRecord | null;
  /** Newest first. */
  listRuns(): RunRecord[];
  listTrials(runId: number): TrialRecord[];
  /** In logging order; `key` filters. */
  listMetrics(runId: number, key?: string): MetricRecord[];
}

// ---- audit ----
export interface AuditInput {
  actor: string;
  action: string;
  /** What the action was about: a batch id, a model version, a username, a patient_id. Never other patient data. */
  subject?: string;
  details?: object;
}
export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
export interface AuditListOptions {
  afterSeq?: number;
  limit?: number;
  action?: string;
  /** Newest first when true. */
  descending?: boolean;
}
export interface AuditLog {
  readonly trailPath: string | null;
  append(input: AuditInput): AuditEvent;
  list(options?: AuditListOptions): AuditEvent[];
  count(): number;
  /** Walks the hash chain and, when the JSONL trail exists, compares it event by event. */
  verify(): ChainVerification;
}

// ---- batches ----
export type BatchSource = 'cli' | 'watch' | 'app' | 'quick-score' | 'bench' | 'test';
export type BatchStatus = 'running' | 'completed' | 'rejected' | 'failed';

export interface BatchMeta {
  fileName: string;
  filePath?: string | null;
  fileSha256: string;
  fileBytes?: number | null;
  source: BatchSource;
  actor: string;
  modelVersion: string | null;
  modelDir?: string | null;
  threshold: number | null;
  riskCuts: { medium: number; high: number } | null;
  /** The prediction_date written in every output row (ISO 8601). */
  predictionDate: string;
  startedAt?: string;
}

/** One chunk of scored rows; `table` holds the validated inputs as read (before imputation). */
export interface PredictionChunk {
  table: PatientTable;
  scores: ArrayLike<number>;
  categories: readonly RiskCategory[];
  recommendations: ArrayLike<number>;
}

/** A rejected row (severity error) or a kept row's warning. `value` is the offending cell as read. */
export interface RowIssue {
  line: number | null;
  patientId: string | null;
  rule: string;
  column: string | null;
  value: string | null;
  message: string;
  severity: 'error' | 'warning';
}

export interface BatchSummary {
  status: 'completed' | 'rejected' | 'failed';
  rowsRead: number;
  rowsRejected: number;
  rowsWithWarnings: number;
  rejectedByRule: Record<string, number>;
  warningsByRule: Record<string, number>;
  retryAttempts: number;
  finishedAt?: string;
  durationMs: number;
  peakRssBytes: number | null;
  cpuUserMs: number | null;
  cpuSystemMs: number | null;
  outputPath: string | null;
  outputSha256: string | null;
  /** File-level problems (for rejected or failed batches). */
  errors: string[];
  /** Extra audit details for the batch event (e.g. drift verdict). */
  auditDetails?: object;
}

export interface BatchRecord {
  id: number;
  fileName: string;
  filePath: string | null;
  fileSha256: string;
  fileBytes: number | null;
  source: BatchSource;
  actor: string;
  status: BatchStatus;
  modelVersion: string | null;
  modelDir: string | null;
  threshold: number | null;
  riskCuts: { medium: number; high: number } | null;
  predictionDate: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rowsWithWarnings: number;
  rejectedByRule: Record<string, number>;
  warningsByRule: Record<string, number>;
  counts: { High: number; Medium: number; Low: number };
  recommended: number;
  retryAttempts: number;
  rowsPerSecond: number | null;
  peakRssBytes: number | null;
  cpuUserMs: number | null;
  cpuSystemMs: number | null;
  outputPath: string | null;
  outputSha256: string | null;
  errors: string[];
  datasetDrift: boolean | null;
}

/** A batch being written: everything between begin() and commit() is one SQLite transaction. */
export interface BatchWriter {
  readonly batchId: number;
  addPredictions(chunk: PredictionChunk): void;
  addRejected(rows: readonly RowIssue[]): void;
  /** Fills in the summary, appends the audit event, commits, then writes the JSONL trail lines. */
  commit(summary: BatchSummary): BatchRecord;
  rollback(): void;
}

export interface PredictionRecord {
  batchId: number;
  rowIndex: number;
  line: number;
  patientId: string;
  inputs: Record<string, number | null>;
  score: number;
  category: RiskCategory;
  recommendation: 0 | 1;
}

export type PredictionOrder = 'row' | 'score' | 'patient_id' | 'category' | 'line';
export interface PredictionQuery {
  offset?: number;
  limit?: number;
  /** Default 'row'. 'category' sorts High, Medium, Low then by score. */
  orderBy?: PredictionOrder;
  descending?: boolean;
  category?: RiskCategory;
  recommendedOnly?: boolean;
  /** Case-insensitive substring of patient_id. */
  search?: string;
}

/** Columnar stored predictions, in row order (used by --verify to re-score). */
export interface StoredPredictionChunk {
  rowIndexStart: number;
  table: PatientTable;
  scores: Float64Array;
  categories: RiskCategory[];
  recommendations: Uint8Array;
}

export interface BatchListOptions {
  limit?: number;
  offset?: number;
  status?: BatchStatus;
}

export interface BatchStore {
  begin(meta: BatchMeta): BatchWriter;
  get(batchId: number): BatchRecord | null;
  /** Newest first. */
  list(options?: BatchListOptions): BatchRecord[];
  findBySha256(sha256: string): BatchRecord[];
  predictions(batchId: number, query?: PredictionQuery): { total: number; rows: PredictionRecord[] };
  prediction(batchId: number, rowIndex: number): PredictionRecord | null;
  iteratePredictions(batchId: number, chunkSize?: number): Generator<StoredPredictionChunk>;
  issues(batchId: number, options?: { severity?: 'error' | 'warning'; offset?: number; limit?: number }): RowIssue[];
  /** Most recent prediction for a patient, optionally on or before an ISO date(-time), by prediction_date. */
  latestPredictionFor(
    patientId: string,
    onOrBefore?: string,
  ): (PredictionRecord & { modelVersion: string | null; predictionDate: string }) | null;
}

// ---- monitoring: labels, drift, alerts ----
export interface LabelInput {
  patientId: string;
  outcome: 0 | 1;
  /** ISO date or null when the file has none. */
  diagnosisDate: string | null;
  /** The matched prediction, or null when none matched. */
  batchId: number | null;
  rowIndex: number | null;
}
export interface LabelImportMeta {
  sourceFile: string | null;
  sourceSha256: string | null;
  importedBy: string;
}
export interface LabelRecord extends LabelInput {
  id: number;
  sourceFile: string | null;
  importedAt: string;
  importedBy: string;
}
export interface LabelAddResult {
  inserted: number;
  /** Same patient, date and outcome as a stored label: nothing changed. */
  unchanged: number;
  /** Same patient and date, different outcome: not stored, reported. */
  conflicts: { patientId: string; diagnosisDate: string | null; storedOutcome: 0 | 1; newOutcome: 0 | 1 }[];
}
export interface MatchedLabel {
  labelId: number;
  patientId: string;
  outcome: 0 | 1;
  diagnosisDate: string | null;
  batchId: number;
  rowIndex: number;
  score: number;
  category: RiskCategory;
  recommendation: 0 | 1;
  age: number | null;
  modelVersion: string | null;
  threshold: number | null;
  predictionDate: string;
}
export interface LabelStore {
  /** One transaction; idempotent (re-adding the same labels changes nothing). */
  add(labels: readonly LabelInput[], meta: LabelImportMeta): LabelAddResult;
  list(): LabelRecord[];
  listMatched(): MatchedLabel[];
  count(): number;
}

export interface DriftRecord {
  batchId: number;
  computedAt: string;
  datasetDrift: boolean;
  driftedCount: number;
  report: unknown;
}
export interface DriftStore {
  save(batchId: number, verdict: { datasetDrift: boolean; driftedCount: number }, report: unknown): void;
  get(batchId: number): DriftRecord | null;
  /** Newest batch first. */
  list(limit?: number): DriftRecord[];
}

export interface AlertInput {
  kind: string;
  /** ISO week such as '2026-W47', when the alert is about a week. */
  week?: string | null;
  modelVersion?: string | null;
  batchId?: number | null;
  message: string;
  details?: object;
}
/** Defined once, in the contract the admin views read. */
export type { AlertRecord } from '../api/monitoring-types';

export interface AlertStore {
  /** Idempotent per (kind, week, modelVersion, batchId): raising the same alert twice stores it once. */
  raise(alert: AlertInput): { alert: AlertRecord; created: boolean };
  list(options?: { unacknowledgedOnly?: boolean }): AlertRecord[];
  acknowledge(id: number, by: string): boolean;
}

// ---- users and reviews ----
export interface ScryptHash {
  n: number;
  r: number;
  p: number;
  keyLength: number;
  /** hex */
  salt: string;
  /** hex */
  hash: string;
}
export interface UserRecord {
  id: number;
  username: string;
  role: UserRole;
  createdAt: string;
  createdBy: string;
  disabled: boolean;
}
export interface UserStore {
  create(input: { username: string; role: UserRole; password: ScryptHash; createdBy: string }): UserRecord;
  /** Case-insensitive. */
  get(username: string): UserRecord | null;
  passwordOf(username: string): ScryptHash | null;
  list(): UserRecord[];
  count(): number;
  setPassword(username: string, password: ScryptHash): boolean;
  setDisabled(username: string, disabled: boolean): boolean;
  setRole(username: string, role: UserRole): boolean;
}

export interface ReviewRecord {
  id: number;
  batchId: number;
  rowIndex: number;
  patientId: string;
  reviewedBy: string;
  reviewedAt: string;
  note: string;
}
export interface ReviewStore {
  add(input: { batchId: number; rowIndex: number; reviewedBy: string; note: string }): ReviewRecord;
  list(batchId: number): ReviewRecord[];
  forPrediction(batchId: number, rowIndex: number): ReviewRecord[];
}

export interface Store {
  readonly path: string;
  readonly schemaVersion: number;
  readonly experiments: ExperimentStore;
  readonly audit: AuditLog;
  readonly batches: BatchStore;
  readonly labels: LabelStore;
  readonly drift: DriftStore;
  readonly alerts: AlertStore;
  readonly users: UserStore;
  readonly reviews: ReviewStore;
  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  /** The JSONL audit trail; default `<db dir>/<db name>.audit.jsonl`; null for none (default for ':memory:'). */
  auditTrailPath?: string | null;
  /** Injectable clock for tests. */
  now?: () => Date;
  /** SQLite page cache per connection, in MiB (default 16). */
  cacheSizeMb?: number;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'schema-too-new' | 'batch-active' | 'batch-closed' | 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
