import { predictMargins } from '../../core/model/batch-margins';
import type { PlattCalibration, TreeEnsemble } from '../../core/model/tree';
import { calibratedProbability } from '../../core/model/tree';
import { fitPreprocessor, type PreprocessParams, transformFeatures } from '../../core/preprocess/pipeline';
import { type PatientTable, takeRows } from '../../core/table/patient-table';
import { trainGbdt } from '../boosting/gbdt';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../config';
import { toFeatureMatrix } from '../data-prep/feature-matrix';
import { type BinnedDataset, binMatrix, type FeatureMatrix, fitBinMappers, takeMatrixRows } from '../io/binned-dataset';
import { type FoldRunner, inProcessRunner, workerRunner } from '../tuner/fold-runner';
import { prepareFolds } from '../tuner/fold-task';
import { fitPlatt } from '../tuner/platt-calibration';
import {
  type ParamSpec,
  paramsToConfig,
  REGULARISATION_PARAMS,
  SEARCH_SPACE,
  type TunedParams,
} from '../tuner/search-space';
import { complement, stratifiedKFold } from '../tuner/stratified-split';
import { bootstrapThreshold, recallConstrainedThreshold } from '../tuner/threshold';
import { bestFeasibleTrials, type TrialResult, type TuneResult, tune } from '../tuner/tune';
import { type WarmStart, warmStartProposals } from '../tuner/warm-start';
import type { DistilJob } from './distil';
import { distilAll } from './distil-runner';

/** The whole training procedure's knobs; defaults in DEFAULT_PROCEDURE. */
export interface ProcedureOptions {
  nTrials: number;
  cvFolds: number;
  seed: number;
  minRecall: number;
  minPrecision: number;
  /** Trees per model (LightGBM's default n_estimators = 100). */
  numIterations: number;
  /** Bagging frequency applied when subsample < 1. */
  baggingFreq: number;
  /** Worker threads for the folds and the distilled students; 0 runs them in this thread. */
  workers: number;
  /**
   * 'refit': one model trained on all training rows with the best parameters. 'cv-ensemble': the average of
   * the best trial's k fold models, i.e. exactly the models whose out-of-fold predictions set the
   * calibration and the threshold.
   */
  finalModel: 'refit' | 'cv-ensemble';
  /** With 'cv-ensemble': how many of the best feasible trials contribute their fold models. */
  ensembleTopK: number;
  /** 'exact': the recall-constrained threshold of the out-of-fold probabilities; 'bootstrap-median': its median over 200 bootstrap resamples. */
  thresholdMethod: 'exact' | 'bootstrap-median';
  /**
   * Knowledge distillation: when > 0, the final model is one student GBDT of this many trees trained on the
   * teacher's (the averaged ensemble's) probabilities; its calibration and threshold come from students
   * distilled per inner fold (teacher = that fold's models only), scored on the fold they never saw.
   */
  distilTrees: number;
  /** Synthetic rows (from the training part only) added for distillation. */
  distilAugmentRows: number;
  /** Student tree shape overrides (DEFAULT_STUDENT_CONFIG otherwise). */
  distilStudent?: Partial<TrainConfig>;
  /** Search space (default: SEARCH_SPACE plus REGULARISATION_PARAMS). */
  space?: readonly ParamSpec[];
  /**
   * Retraining's search: these starting points and their neighbours instead of a TPE study; nTrials must be their
   * count (warmStartTrials).
   */
  warmStart?: WarmStart;
  onTrial?: (trial: TrialResult) => void;
}

export const DEFAULT_PROCEDURE: Readonly<ProcedureOptions> = Object.freeze({
  nTrials: 100,
  cvFolds: 5,
  seed: 42,
  minRecall: 0.85,
  minPrecision: 0.45,
  numIterations: 100,
  baggingFreq: 1,
  workers: 2,
  // The fold models of the best trials, not a refit on the whole training part: in 5 x 5 repeated CV of the whole
  // procedure the refit, and bagging off, scored lower. Variants are compared by `npm run compare:variants` and
  // `compare:thresholds` on outer folds and re-checked on fresh ones; each model's report and card hold the figures.
  finalModel: 'cv-ensemble',
  ensembleTopK: 3,
  thresholdMethod: 'exact',
  space: [...SEARCH_SPACE, ...REGULARISATION_PARAMS],
  // One student distilled from that ensemble (distil.ts): as good on outer folds and far fewer trees to walk, since
  // scoring was the largest cost of a batch. Its shape (DEFAULT_STUDENT_CONFIG) had the best F2 on fresh outer folds
  // (`npm run compare:distil -- --outer-seed 7`); the figures are in the production model's card.
  distilTrees: 50,
  distilAugmentRows: 20000,
});

interface FittedModel {
  preprocess: PreprocessParams;
  ensemble: TreeEnsemble;
  calibration: PlattCalibration;
  /** Operating threshold on the calibrated probability, chosen on out-of-fold predictions. */
  threshold: number;
  bestParams: TunedParams;
  /** Configuration of the best trial. */
  trainConfig: TrainConfig;
  /** Trial numbers whose fold models make up the ensemble, best first, and their parameters. */
  ensembleTrials: number[];
  ensembleParams: TunedParams[];
  tuning: TuneResult;
  /** Out-of-fold predictions of the best trial on the training rows (for OOF metrics and calibration reports). */
  oof: { margins: Float64Array; probabilities: Float64Array; labels: Uint8Array };
  trainMatrix: FeatureMatrix;
  /** With distillation: the teacher ensemble with its own out-of-fold calibration and threshold, for comparison. */
  teacher?: { ensemble: TreeEnsemble; calibration: PlattCalibration; threshold: number };
}

/** The mean of several ensembles' margins as one ensemble: every tree's values divided by their count. */
export function averageEnsembles(ensembles: TreeEnsemble[]): TreeEnsemble {
  const k = ensembles.length;
  return {
    featureNames: ensembles[0].featureNames,
    baseScore: ensembles.reduce((sum, e) => sum + e.baseScore, 0) / k,
    trees: ensembles.flatMap((e) =>
      e.trees.map((tree) => ({
        ...tree,
        leafValue: tree.leafValue.map((v) => v / k),
        internalValue: tree.internalValue.map((v) => v / k),
      })),
    ),
  };
}

/** Model matrix of some rows of a table, with labels, using fitted preprocessing. */
export function matrixOf(preprocess: PreprocessParams, table: PatientTable): FeatureMatrix {
  if (!table.outcome) throw new Error('rows without Outcome cannot be used for training or evaluation');
  return toFeatureMatrix(transformFeatures(preprocess, table), table.outcome);
}

/** Calibrated probabilities of the TypeScript trees on float32 inputs (what ONNX receives). */
export function scoreMatrix(
  ensemble: TreeEnsemble,
  calibration: PlattCalibration,
  matrix: FeatureMatrix,
): Float64Array {
  return predictMargins(ensemble, matrix.columns, matrix.numRows, { float32Inputs: true }).map((margin) =>
    calibratedProbability(calibration, margin),
  );
}

/** The training part prepared and tuned: everything a final model is built from. */
interface TunedTrainingPart {
  preprocess: PreprocessParams;
  /** The raw training rows (distillation makes synthetic rows from them). */
  trainTable: PatientTable;
  trainMatrix: FeatureMatrix;
  binned: BinnedDataset;
  folds: number[][];
  tuning: TuneResult;
  base: Partial<TrainConfig>;
}

/** Preprocessing fitted on the training rows, then TPE tuning with k-fold CV on them (never other rows). */
export async function tuneTrainingPart(
  table: PatientTable,
  trainRows: number[],
  options: Partial<ProcedureOptions> = {},
): Promise<TunedTrainingPart> {
  const o: ProcedureOptions = { ...DEFAULT_PROCEDURE, ...options };
  const trainTable = takeRows(table, trainRows);
  const preprocess = fitPreprocessor(trainTable);
  const trainMatrix = matrixOf(preprocess, trainTable);
  const base: Partial<TrainConfig> = { numIterations: o.numIterations, seed: o.seed };
  const binned = binMatrix(
    trainMatrix,
    fitBinMappers(trainMatrix, DEFAULT_TRAIN_CONFIG.maxBin, DEFAULT_TRAIN_CONFIG.minDataInBin),
  );
  const folds = stratifiedKFold(binned.labels, o.cvFolds, o.seed);
  const runner: FoldRunner =
    o.workers > 0 ? await workerRunner(binned, folds, o.workers) : inProcessRunner(binned, folds);
  try {
    const proposals = o.warmStart ? warmStartProposals(o.space ?? SEARCH_SPACE, o.warmStart, o.seed) : undefined;
    if (proposals && proposals.length !== o.nTrials)
      throw new Error(`a warm-started search has ${proposals.length} trials, but nTrials is ${o.nTrials}`);
    const tuning = await tune(binned, folds, runner, {
      nTrials: o.nTrials,
      proposals,
      seed: o.seed,
      minRecall: o.minRecall,
      minPrecision: o.minPrecision,
      baseConfig: base,
      baggingFreq: o.baggingFreq,
      space: o.space,
      keepFoldModels: o.finalModel === 'cv-ensemble' ? o.ensembleTopK : 0,
      onTrial: o.onTrial,
    });
    return { preprocess, trainTable, trainMatrix, binned, folds, tuning, base };
  } finally {
    await runner.close();
  }
}

/**
 * The trials the final model is made of: the `k` best feasible trials by the tuning objective (earliest
 * first on ties), or the single best (possibly infeasible) trial when none is feasible.
 */
export function selectTrials(tuning: TuneResult, k: number): number[] {
  const feasible = bestFeasibleTrials(tuning.trials, k);
  return feasible.length > 0 ? feasible : [tuning.best.number];
}

/**
 * Final model from a tuned training part: the fold models of the selected trials averaged into one ensemble;
 * Platt calibration and the recall-constrained threshold on the matching out-of-fold margins (the mean of
 * the selected trials' out-of-fold margins, i.e. exactly what the averaged fold models predict out of fold).
 */
export async function finalizeModel(
  part: TunedTrainingPart,
  options: Partial<ProcedureOptions> = {},
): Promise<FittedModel> {
  const o: ProcedureOptions = { ...DEFAULT_PROCEDURE, ...options };
  const { tuning, binned, folds, base } = part;
  const chosen = o.finalModel === 'cv-ensemble' ? selectTrials(tuning, o.ensembleTopK) : [tuning.best.number];
  const margins = new Float64Array(binned.numRows);
  for (const number of chosen) {
    const oof = tuning.trialOofMargins[number] as Float64Array;
    for (let i = 0; i < margins.length; i++) margins[i] += oof[i] / chosen.length;
  }
  const calibrate = (m: Float64Array) => {
    const calibration = fitPlatt(m, binned.labels);
    const probabilities = m.map((v) => calibratedProbability(calibration, v));
    const threshold =
      o.thresholdMethod === 'bootstrap-median'
        ? bootstrapThreshold(probabilities, binned.labels, o.minRecall, 200, o.seed)
        : recallConstrainedThreshold(probabilities, binned.labels, o.minRecall).threshold;
    return { calibration, probabilities, threshold };
  };
  const configs = chosen.map((number) => ({
    ...DEFAULT_TRAIN_CONFIG,
    ...paramsToConfig(tuning.trials[number].params, base, o.baggingFreq),
  }));
  let ensemble: TreeEnsemble;
  let teacher: FittedModel['teacher'];
  let { calibration, probabilities, threshold } = calibrate(margins);
  if (o.finalModel === 'cv-ensemble') {
    const prepared = prepareFolds(binned, folds);
    // Config-major: models[c * k + fold]. The tuning's own fold models when it kept them: the same data, config and
    // seed would train the very same trees again.
    const models = configs.flatMap(
      (config, c) =>
        tuning.foldModels.get(chosen[c]) ??
        prepared.map((fold) => trainGbdt(fold.train, config, { recordTrainLoss: false }).ensemble),
    );
    ensemble = averageEnsembles(models);
    if (o.distilTrees > 0) {
      teacher = { ensemble, calibration, threshold };
      const distil = (seed: number) => ({
        trees: o.distilTrees,
        augmentRows: o.distilAugmentRows,
        seed,
        student: o.distilStudent ?? {},
      });
      // The final student first: its teacher is the whole ensemble, the longest job.
      const jobs: DistilJob[] = [
        {
          teacher: ensemble,
          realTable: part.trainTable,
          realMatrix: part.trainMatrix,
          realBinned: binned,
          preprocess: part.preprocess,
          options: distil(o.seed),
        },
        ...prepared.map((fold, k) => {
          const rows = complement(binned.numRows, fold.heldIndices);
          return {
            teacher: averageEnsembles(configs.map((_, c) => models[c * prepared.length + k])),
            realTable: takeRows(part.trainTable, rows),
            realMatrix: takeMatrixRows(part.trainMatrix, rows),
            realBinned: fold.train,
            preprocess: part.preprocess,
            options: distil(o.seed + 1 + k),
          };
        }),
      ];
      const [finalStudent, ...foldStudents] = await distilAll(jobs, o.workers);
      const studentMargins = new Float64Array(binned.numRows);
      prepared.forEach((fold, k) => {
        const held = takeMatrixRows(part.trainMatrix, fold.heldIndices);
        predictMargins(foldStudents[k], held.columns, held.numRows).forEach((margin, i) => {
          studentMargins[fold.heldIndices[i]] = margin;
        });
      });
      ensemble = finalStudent;
      margins.set(studentMargins);
      ({ calibration, probabilities, threshold } = calibrate(margins));
    }
  } else ensemble = trainGbdt(binned, configs[0], { recordTrainLoss: false }).ensemble;
  return {
    preprocess: part.preprocess,
    ensemble,
    calibration,
    threshold,
    bestParams: tuning.best.params,
    trainConfig: configs[0],
    ensembleTrials: chosen,
    ensembleParams: chosen.map((number) => tuning.trials[number].params),
    tuning,
    oof: { margins, probabilities, labels: binned.labels },
    trainMatrix: part.trainMatrix,
    teacher,
  };
}

/**
 * Fits everything on the training rows only: preprocessing, TPE tuning with k-fold CV, then the final model
 * with calibration and threshold from out-of-fold margins (finalizeModel).
 */
export async function fitProcedure(
  table: PatientTable,
  trainRows: number[],
  options: Partial<ProcedureOptions> = {},
): Promise<FittedModel> {
  return finalizeModel(await tuneTrainingPart(table, trainRows, options), options);
}
