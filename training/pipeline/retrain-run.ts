import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelRegistry } from '../../core/registry/model-registry';
import { type HeldOutWeeksOptions, heldOutWeeks } from '../../core/retrain/held-out-weeks';
import type { AssemblyCounts, TrainingSet } from '../../core/retrain/training-set';
import { takeRows } from '../../core/table/patient-table';
import type { TunedParams } from '../tuner/search-space';
import type { WarmStart } from '../tuner/warm-start';
import { metricsAt } from './evaluate';
import type { ExperimentRecorder } from './experiment-recorder';
import { fitProcedure, matrixOf, type ProcedureOptions, scoreMatrix } from './fit-procedure';
import { runTraining } from './train-run';

/**
 * Retraining's default search: the production model's ensemble parameters (its top trials) and this many
 * neighbours, each scored by the same inner cross-validation; `full` runs `npm run train`'s TPE study instead.
 */
export const RETRAIN_SEARCH = { neighbours: 3, radius: 0.1 } as const;

export type RetrainSearch = { kind: 'warm-start'; neighbours: number; radius: number } | { kind: 'full' };

/** The parameters the production model was built from (metadata ensemble_params), or null when it has none. */
export function productionParams(modelsDir: string): TunedParams[] | null {
  let metadata: { ensemble_params?: unknown };
  try {
    metadata = JSON.parse(readFileSync(join(new ModelRegistry(modelsDir).production, 'metadata.json'), 'utf8'));
  } catch {
    return null;
  }
  const params = metadata.ensemble_params;
  const valid =
    Array.isArray(params) &&
    params.length > 0 &&
    params.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        Object.values(p).every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  return valid ? (params as TunedParams[]) : null;
}

/**
 * The procedure a retraining runs: with a warm start, production's parameters and their neighbours (nTrials is
 * their count); without production parameters, or when asked, the full study. `search` says which, for the record.
 */
export function retrainProcedure(
  procedure: Partial<ProcedureOptions> & { nTrials: number },
  search: RetrainSearch,
  modelsDir: string,
): { procedure: Partial<ProcedureOptions> & { nTrials: number }; search: Record<string, unknown> } {
  if (search.kind === 'full') return { procedure, search: { kind: 'full', trials: procedure.nTrials } };
  const from = productionParams(modelsDir);
  if (!from) {
    return {
      procedure,
      search: { kind: 'full', trials: procedure.nTrials, reason: 'no production parameters to start from' },
    };
  }
  const warmStart: WarmStart = { from, neighbours: search.neighbours, radius: search.radius };
  return {
    procedure: { ...procedure, warmStart, nTrials: from.length + search.neighbours },
    search: { kind: 'warm-start', from: from.length, neighbours: search.neighbours, radius: search.radius },
  };
}

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
  /** Default: a warm start from production's parameters (RETRAIN_SEARCH). */
  search?: RetrainSearch;
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
  const { procedure, search } = retrainProcedure(
    o.procedure,
    o.search ?? { kind: 'warm-start', ...RETRAIN_SEARCH },
    o.modelsDir,
  );
  const trials = procedure.nTrials;
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
      ...procedure,
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
    procedure,
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
        metadata: { training_dataset: datasetMetadata, time_held_out: held, retrain_search: search },
        metrics: { time_held_out: held, dataset: datasetMetadata, retrain_search: search },
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
