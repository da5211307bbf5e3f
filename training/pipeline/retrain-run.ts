import { type HeldOutWeeksOptions, heldOutWeeks } from '../../core/retrain/held-out-weeks';
import type { AssemblyCounts, TrainingSet } from '../../core/retrain/training-set';
import { takeRows } from '../../core/table/patient-table';
import { metricsAt } from './evaluate';
import type { ExperimentRecorder } from './experiment-recorder';
import { fitProcedure, matrixOf, type ProcedureOptions, scoreMatrix } from './fit-procedure';
import { runTraining } from './train-run';

/** The steps of a retraining run, in order, as its progress reports them. */
export type RetrainPhase = 'time-held-out' | 'tuning' | 'repeated-cv' | 'writing';

export interface RetrainProgress {
  phase: RetrainPhase;
  done: number;
  total: number;
}

export interface RetrainOptions {
  set: TrainingSet;
  dataset: { versionId: number | null; sha256: string; path: string; counts: AssemblyCounts };
  modelsDir: string;
  repoRoot: string;
  procedure: Partial<ProcedureOptions> & { nTrials: number };
  heldOut: HeldOutWeeksOptions;
  repeatedCv?: { repeats: number; folds: number };
  recorder: ExperimentRecorder;
  stagingDir?: string;
  version?: string;
  onProgress?: (progress: RetrainProgress) => void;
  onRunStarted?: (runId: number | null) => void;
}

/**
 * Retraining on an assembled training set: the same procedure as `npm run train` (stratified split, TPE tuning
 * with inner CV, calibration and threshold on out-of-fold scores, optional repeated CV), plus the time-aware check:
 * the whole procedure refitted without the most recent labelled weeks and scored on them. The result is a candidate
 * bundle in experiments/ (never promoted here) whose card and run record carry both evaluations.
 */
export async function runRetraining(o: RetrainOptions) {
  const split = heldOutWeeks(o.set, o.heldOut);
  const progress = o.onProgress ?? (() => {});
  const trials = o.procedure.nTrials;
  const { counts } = o.dataset;
  const datasetMetadata = {
    version_id: o.dataset.versionId,
    sha256: o.dataset.sha256,
    rows_total: o.set.table.rowCount,
    rows_by_source: counts.rowsBySource,
    positives_by_source: counts.positivesBySource,
    excluded: counts.excluded,
    label_from: counts.labelFrom,
    label_to: counts.labelTo,
  };

  const timeHeldOut = async () => {
    const base = {
      weeks: split.weeks,
      rows: split.heldOut.length,
      positives: split.positives,
      trained_rows: split.rest.length,
    };
    if (!split.usable) {
      return { ...base, evaluated: false, reason: split.reason, metrics: null };
    }
    const model = await fitProcedure(o.set.table, split.rest, {
      ...o.procedure,
      onTrial: (trial) => progress({ phase: 'time-held-out', done: trial.number + 1, total: trials }),
    });
    const held = matrixOf(model.preprocess, takeRows(o.set.table, split.heldOut));
    const metrics = metricsAt(scoreMatrix(model.ensemble, model.calibration, held), held.labels, model.threshold);
    return { ...base, evaluated: true, reason: null, metrics };
  };

  const result = await runTraining({
    table: o.set.table,
    dataPath: o.dataset.path,
    dataSha256: o.dataset.sha256,
    dataHashAccepted: false,
    repoRoot: o.repoRoot,
    modelsDir: o.modelsDir,
    procedure: o.procedure,
    repeatedCv: o.repeatedCv,
    version: o.version,
    bump: 'minor',
    promote: false,
    recorder: o.recorder,
    stagingDir: o.stagingDir,
    runTags: {
      retrain: 'labelled production rows',
      dataset_sha256: o.dataset.sha256,
      ...(o.dataset.versionId === null ? {} : { dataset_version: String(o.dataset.versionId) }),
    },
    onRunStarted: o.onRunStarted,
    extraEvaluation: async () => {
      const held = await timeHeldOut();
      return {
        metadata: { training_dataset: datasetMetadata, time_held_out: held },
        metrics: { time_held_out: held, dataset: datasetMetadata },
      };
    },
    onTrial: (trial) => {
      progress({ phase: 'tuning', done: trial.number + 1, total: trials });
      if (trial.number + 1 === trials && !o.repeatedCv) progress({ phase: 'writing', done: 0, total: 1 });
    },
    onCvFold: (done, total) => progress({ phase: 'repeated-cv', done, total }),
  });
  return { ...result, split };
}
