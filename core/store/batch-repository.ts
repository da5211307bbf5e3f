import type { RiskCategory } from '../api/outputs';
import type { DeclaredUnit } from '../schema/units';
import type { PatientTable } from '../table/patient-table';
import type { ShadowCommit } from './shadow-repository';

/** Screened batches: their summary, their scored rows (with the inputs as read) and their rejected rows. */
export type BatchSource = 'cli' | 'watch' | 'app' | 'quick-score' | 'bench' | 'test' | 'api';
/** held: parsed but not scored, because its values as a whole look like another unit or scale. */
type BatchStatus = 'running' | 'completed' | 'rejected' | 'failed' | 'held';

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
  /** Refuse to commit when a batch of the same sha256 with one of these statuses committed first. */
  refuseIfScoredAs?: readonly BatchStatus[];
}

/** One chunk of scored rows; `table` holds the validated inputs as read (before imputation). */
export interface PredictionChunk {
  table: PatientTable;
  scores: ArrayLike<number>;
  categories: readonly RiskCategory[];
  recommendations: ArrayLike<number>;
  /** The shadow model's scores of the same rows, when a shadow scored this chunk (stored, never output). */
  shadow?: ShadowScores | null;
}

export interface ShadowScores {
  scores: ArrayLike<number>;
  categories: readonly RiskCategory[];
  recommendations: ArrayLike<number>;
}

/** A rejected row (severity error) or a kept row's warning, as stored. `value` is the offending cell as read. */
export interface StoredRowIssue {
  line: number | null;
  patientId: string | null;
  rule: string;
  column: string | null;
  value: string | null;
  message: string;
  severity: 'error' | 'warning';
}

/** What a finished batch cost and wrote: recorded by commit() and read back with the batch. */
interface BatchResources {
  peakRssBytes: number | null;
  cpuUserMs: number | null;
  cpuSystemMs: number | null;
  outputPath: string | null;
  outputSha256: string | null;
}

/** What commit() records about a batch once it is finished (the pipeline's figures, not the stored counts). */
export interface BatchCommitSummary extends BatchResources {
  status: 'completed' | 'rejected' | 'failed' | 'held';
  /** The units the file or config declared, with their conversion (none: every column in the model's units). */
  units?: readonly DeclaredUnit[];
  /** The batch's own peak memory (batch-memory.ts); absent where it was not measured. */
  batchMemoryBytes?: number | null;
  rowsRead: number;
  rowsRejected: number;
  rowsWithWarnings: number;
  rejectedByRule: Record<string, number>;
  warningsByRule: Record<string, number>;
  retryAttempts: number;
  finishedAt?: string;
  durationMs: number;
  /** File-level problems (for rejected or failed batches). */
  errors: string[];
  /** Extra audit details for the batch event (e.g. drift verdict). */
  auditDetails?: object;
  /** A shadow was assigned when the batch began: how it fared (its rows are stored only if it scored them all). */
  shadow?: ShadowCommit | null;
}

export interface BatchRecord extends BatchResources {
  /** The process's resident set at its highest during this batch, above its level when the batch started. */
  batchMemoryBytes: number | null;
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
  errors: string[];
  datasetDrift: boolean | null;
  units: DeclaredUnit[];
  /** More than half of the rows read carry a warning: the file itself needs checking, whatever its status. */
  warningsOnMostRows: boolean;
  /** When a retention purge removed its patient rows (the batch's own figures stay); null while they are kept. */
  purgedAt: string | null;
}

/** "Most rows carry warnings": more than half of the rows read, which says the file, not a few patients, needs checking. */
export function mostRowsWarned(rowsWithWarnings: number, rowsRead: number): boolean {
  return rowsRead > 0 && rowsWithWarnings * 2 > rowsRead;
}

/** A batch being written: everything between begin() and commit() is one transaction. */
export interface BatchWriter {
  /** The id the batch is expected to get; the one it got once committed. */
  readonly batchId: number;
  /** The longest this batch held the database's write lock in one transaction (a chunk's rows, or the commit). */
  readonly writeLockMs: number;
  addPredictions(chunk: PredictionChunk): void;
  addRejected(rows: readonly StoredRowIssue[]): void;
  /**
   * Stores the staged rows and the summary, appends the audit event, runs `inTransaction` (more rows of the batch),
   * commits, then writes the JSONL trail lines.
   */
  commit(summary: BatchCommitSummary, inTransaction?: (batchId: number) => void): BatchRecord;
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

type PredictionOrder = 'row' | 'score' | 'patient_id' | 'category' | 'line';
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
  /** Several rows at once, in the order asked (null where there is none), sharing one read of each input blob. */
  predictionsAt(batchId: number, rowIndexes: readonly number[]): (PredictionRecord | null)[];
  iteratePredictions(batchId: number, chunkSize?: number): Generator<StoredPredictionChunk>;
  issues(
    batchId: number,
    options?: { severity?: 'error' | 'warning'; offset?: number; limit?: number },
  ): StoredRowIssue[];
  /** Most recent prediction for a patient, optionally on or before an ISO date(-time), by prediction_date. */
  latestPredictionFor(
    patientId: string,
    onOrBefore?: string,
  ): (PredictionRecord & { modelVersion: string | null; predictionDate: string }) | null;
}
