import type { RetryConfig } from '../config/app-config';
import type { FileHold, ValidationReport } from '../ingest/validation-report';
import type { ModelMatrix } from '../preprocess/model-matrix';
import type { UnitsConfig } from '../schema/units';
import type { BatchRecord, BatchSource } from '../store/batch-repository';
import type { BatchWriterHost } from '../store/batch-writer-host';
import type { Store } from '../store/store';
import type { PatientTable } from '../table/patient-table';
import type { FileNotReadyError } from './file-readiness';
import type { ParseHost } from './parse-host';
import type { ScreeningModel } from './screening-model';
import type { ShadowForBatch } from './shadow-model';
import type { StageTimings } from './stage-timings';

/** What screenFile takes and returns. */

export interface ScreenProgress {
  rowsRead: number;
  rowsValid: number;
  /** Rows expected from the file's line count (approximate when cells hold line breaks). */
  rowsExpected: number;
}

/** Optional extra work on every chunk, finished before commit (drift detection plugs in here). */
export interface BatchObserver {
  /** The rows the file is expected to hold (from its line count), before the first chunk. */
  expect?(rows: number): void;
  /**
   * Each scored chunk: its rows, the model's inputs and the model's calibrated scores. A promise returned says when
   * the observer can take the next chunk (it holds no reference to this one's arrays once called).
   */
  chunk(table: PatientTable, matrix: ModelMatrix, scores: Float64Array): void | Promise<void>;
  /** Returns the drift verdict and report to store with the batch, or null. */
  finish(): Promise<{ datasetDrift: boolean; driftedCount: number; report: unknown; summary?: object } | null>;
  /** Frees what the observer holds (e.g. its thread) when the batch is abandoned before finish(). */
  close?(): void;
}

export interface ScreenFileOptions {
  inputPath: string;
  /** Default: <outputDir>/predictions_<input name>.csv */
  outputPath?: string;
  outputDir: string;
  rejectedDir: string;
  store: Store;
  model: ScreeningModel;
  actor: string;
  source: BatchSource;
  retry: RetryConfig;
  /** Score a file whose sha256 was scored before. */
  force?: boolean;
  /** Batch statuses that make the same sha256 a duplicate (default: completed; --watch adds rejected). */
  duplicateStatuses?: readonly BatchRecord['status'][];
  onProgress?: (progress: ScreenProgress) => void;
  /**
   * Also measure each stage's CPU time (timings.cpuMs per stage; the total is always measured). Off by default: it
   * asks the OS for the CPU time of every thread of the process twice per stage and chunk, which with the worker
   * threads busy costs the main thread more than a few percent of a large batch.
   */
  stageCpu?: boolean;
  /** Where predictions are written; default: synchronously on `store`'s connection. */
  writerHost?: BatchWriterHost;
  /** Parse big files on this worker thread (overlapping with scoring); default: on this thread. */
  parseHost?: ParseHost;
  /** Files at least this big use parseHost (a small file is not worth the hand-over). Default 4 MB. */
  parseInWorkerMinBytes?: number;
  observer?: BatchObserver;
  /** Ingest settings from the configuration: units of undeclared columns, the longest line read. */
  ingest?: { units?: UnitsConfig; maxLineLength?: number };
  /** The shadow model to score every row with beside production (stored, never output); null or absent: none. */
  shadow?: ShadowForBatch | null;
  /** Half-width of the borderline band around the threshold (config risk.borderlineBand); default 0.05. */
  borderlineBand?: number;
  now?: () => Date;
}

export interface ShadowOutcome {
  modelVersion: string;
  status: 'scored' | 'failed';
  error?: string;
}

export type ScreenOutcome =
  | {
      kind: 'completed';
      batch: BatchRecord;
      outputPath: string;
      /** The manual-review list beside the output: patients whose score is within the borderline band. */
      reviewPath: string;
      borderlineCount: number;
      report: ValidationReport;
      timings: StageTimings;
      /** How the shadow fared, as stored with the batch; null when none is assigned. */
      shadow: ShadowOutcome | null;
    }
  | {
      kind: 'rejected';
      batch: BatchRecord;
      report: ValidationReport;
      rejectedCopy: string;
      errorsPath: string;
      problems: string[];
    }
  | {
      /** Parsed, then not scored: its values as a whole look like another unit or scale (report.hold says which). */
      kind: 'held';
      batch: BatchRecord;
      report: ValidationReport;
      hold: FileHold;
    }
  | { kind: 'duplicate'; sha256: string; previous: BatchRecord[] }
  | { kind: 'not-ready'; reason: FileNotReadyError['reason']; attempts: number; message: string };
