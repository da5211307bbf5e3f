/**
 * Retraining on the clinic's labelled patients (the Models view): what the training set would be, start a run in a
 * background process, follow it (`retrainProgress` events), cancel it. Admin only; every start and cancel is audited.
 */
import { z } from 'zod';
import { method } from './method-spec';

const OperationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const StartRetrainInput = z.strictObject({
  /** Client-chosen id that tags this run's progress events. */
  operationId: OperationId,
  /** The UI shows the data set summary and asks first. */
  confirmed: z.literal(true),
  /**
   * TPE trials of the full search (the same default as `npm run train`), which runs when production has no recorded
   * parameters; otherwise the search starts from them (`npm run retrain -- --help`).
   */
  trials: z.number().int().min(1).max(500).default(100),
  /** Most recent labelled ISO weeks held out for the time-aware evaluation. */
  heldOutWeeks: z.number().int().min(1).max(26).default(2),
  /** Also the repeated 5 x 5 CV of the whole procedure (much slower). */
  repeatedCv: z.boolean().default(false),
});
export const CancelRetrainInput = z.strictObject({ operationId: OperationId });
const NoArgument = z.strictObject({});

export interface RetrainMetricsDto {
  rows: number;
  positives: number;
  recall: number | null;
  precision: number | null;
  f2: number | null;
  auc: number | null;
}

/** The training set the labels give now: counts only, never a patient row. */
export interface RetrainDatasetSummary {
  rowsTotal: number;
  rowsBySource: { training: number; production: number };
  positivesBySource: { training: number; production: number };
  excluded: { unmatchedLabels: number; conflictingLabels: number };
  /** First and last screening day of the labelled production rows. */
  labelFrom: string | null;
  labelTo: string | null;
  /** The weeks the time-aware evaluation would hold out, and whether they are enough (else why not). */
  heldOut: { weeks: string[]; rows: number; positives: number; usable: boolean; reason: string | null };
  /** Why retraining cannot start here (no original training data, no training tool), or null. */
  blocked: string | null;
}

export interface RetrainResultDto {
  runId: number | null;
  version: string;
  /** The candidate's registry id, e.g. experiments/model_20261205_210000. */
  modelId: string;
  threshold: number;
  /** Out-of-fold figures of the cross-validated tuning, and the held-out test part of the split. */
  crossValidated: RetrainMetricsDto;
  test: RetrainMetricsDto;
  repeatedCv: { recall: number; precision: number; f2: number; auc: number } | null;
  timeHeldOut: {
    weeks: string[];
    evaluated: boolean;
    reason: string | null;
    metrics: RetrainMetricsDto | null;
  };
}

export type RetrainPhase =
  | 'starting'
  | 'time-held-out'
  | 'tuning'
  | 'repeated-cv'
  | 'writing'
  | 'done'
  | 'failed'
  | 'cancelled';

export interface RetrainJobDto {
  operationId: string;
  phase: RetrainPhase;
  done: number;
  total: number | null;
  startedAt: string;
  startedBy: string;
  dataset: {
    versionId: number;
    sha256: string;
    rowsTotal: number;
    rowsBySource: { training: number; production: number };
  };
  runId: number | null;
  result: RetrainResultDto | null;
  /** Why it failed, when it did. */
  message: string | null;
}

/** The `retrainProgress` event: the job as it is now. */
export type RetrainProgress = RetrainJobDto;

export const retrainMethods = {
  /** The training set today's labels would give, and whether retraining can run here; writes nothing. */
  retrainPreview: method(NoArgument, 'admin').returns<RetrainDatasetSummary>(),
  /** Snapshots the training set, records its version and starts training in a background process; audited. */
  startRetrain: method(StartRetrainInput, 'admin').returns<RetrainJobDto>(),
  /** Stops the running job; no candidate is left behind; audited. */
  cancelRetrain: method(CancelRetrainInput, 'admin').returns<RetrainJobDto>(),
  /** The running or last job of this app, or null. */
  retrainStatus: method(NoArgument, 'admin').returns<RetrainJobDto | null>(),
} as const;
