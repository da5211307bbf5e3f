import type { BackupFileDto, BackupTakenDto, RestoreDoneDto } from '../api/backup-methods';
/**
 * What the app needs from the rest of core, as narrow interfaces. The composition root (core/app/compose-app.ts)
 * builds them from the real modules: core/screening's batch pipeline and core/registry's bundle.
 */
import type { ModelInfo } from '../api/outputs';
import type { ValidationReport } from '../ingest/validation-report';
import type { ImputeMedians } from '../preprocess/zero-imputer';
import type { BatchSource } from '../store/batch-repository';
import type { PatientExplanation, RawRows } from './worklist/risk-factors';

/** How far the screener is with one file (the contract's ImportProgress adds the operation id). */
interface BatchScreenProgress {
  phase: 'reading' | 'validating' | 'scoring' | 'storing' | 'done';
  done: number;
  total: number | null;
}

/** How screening one file ended, as the app sees it (core/screening's ScreenOutcome is the pipeline's own). */
export type BatchScreenOutcome =
  | { ok: true; batchId: number; report: ValidationReport }
  /**
   * file-rejected: the file as a whole was refused (no predictions stored); no-model: nothing to score with;
   * conflict: the same file (by sha256) was imported before; file-held: read, recorded as held, not scored;
   * screen-failed: stopped part-way by a fault outside the file (the message says in what state).
   */
  | {
      ok: false;
      code: 'file-rejected' | 'file-held' | 'no-model' | 'conflict' | 'screen-failed';
      message: string;
      report: ValidationReport | null;
    };

export interface BatchScreener {
  /** Validates, scores and stores one CSV file as one transaction (the same pipeline as the CLI). */
  screenFile(input: {
    path: string;
    displayName: string;
    actor: string;
    source: BatchSource;
    onProgress?: (progress: BatchScreenProgress) => void;
  }): Promise<BatchScreenOutcome>;
}

export interface LoadedModel {
  info: ModelInfo;
  /** The training medians that replace "not measured" zeros. */
  imputeMedians: ImputeMedians;
  /** Explanations of patients (raw inputs as read, columnar); null when the model has no explainer. */
  explain: ((raw: RawRows, rowCount: number) => PatientExplanation[]) | null;
  /** Raw margin to the reported probability (Platt); null or absent when unknown. */
  calibrate?: ((margin: number) => number) | null;
}

export interface ModelProvider {
  /** The production model, or why there is none (missing, tampered bundle). */
  production(): Promise<{ ok: true; model: LoadedModel } | { ok: false; problem: string }>;
}

/** The database's backups, as the composition root provides them (it alone can close and reopen the store). */
export interface DatabaseBackups {
  list(): BackupFileDto[];
  create(actor: string): Promise<BackupTakenDto>;
  /** Throws RestoreRefused when the backup's chain does not verify; the store is then untouched. */
  restore(file: string, actor: string): Promise<RestoreDoneDto>;
}
