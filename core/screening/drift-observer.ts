import type { AppConfig } from '../config/app-config';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns } from '../table/patient-table';
import { createDriftObserver, type ModelDriftContext } from './drift-batch-observer';
import { threadedDriftObserver } from './drift-thread';
import type { LoadedScreeningModel } from './load-model';
import type { BatchObserver } from './screen-file';

export { createDriftObserver, type ModelDriftContext, toDriftConfig } from './drift-batch-observer';

/** From this many expected rows a batch's drift observation runs on a thread of its own (drift-thread.ts). */
export const DRIFT_THREAD_MIN_ROWS = 100_000;

/**
 * The drift observer for a loaded model: feature drift, importance-aware drift and output drift. A batch expected to
 * hold at least threadMinRows rows is observed on a drift thread (a smaller one is not worth starting a thread for).
 */
export function driftObserverFor(
  model: LoadedScreeningModel,
  config: AppConfig['drift'],
  options: { threadMinRows?: number } = {},
): BatchObserver {
  const context = modelDriftContext(model);
  const threadMinRows = options.threadMinRows ?? DRIFT_THREAD_MIN_ROWS;
  let observer: BatchObserver | null = null;
  const inProcess = () => {
    observer ??= createDriftObserver(model.bundle.reference, config, context);
    return observer;
  };
  return {
    expect(rows) {
      if (observer === null && rows >= threadMinRows) {
        const setup = {
          reference: model.bundle.reference,
          config,
          expectedRows: rows,
          model: { importance: context.importance, highCut: context.highCut },
        };
        observer = threadedDriftObserver(setup, context.referenceScores);
      } else inProcess().expect?.(rows);
    },
    chunk: (table, matrix, scores) => inProcess().chunk(table, matrix, scores),
    finish: () => inProcess().finish(),
    close: () => observer?.close?.(),
  };
}

const referenceScoresByModel = new WeakMap<LoadedScreeningModel, Promise<Float64Array>>();

function modelDriftContext(model: LoadedScreeningModel): ModelDriftContext {
  return {
    importance: model.bundle.metadata.global_importance?.model ?? [],
    highCut: model.riskCuts.high,
    referenceScores: () => {
      let scores = referenceScoresByModel.get(model);
      if (!scores) {
        scores = scoreReference(model);
        referenceScoresByModel.set(model, scores);
      }
      return scores;
    },
  };
}

/** The reference rows' raw features go through the same preprocessing and model as a batch. */
async function scoreReference(model: LoadedScreeningModel): Promise<Float64Array> {
  const reference = model.bundle.reference;
  const n = reference.rowCount;
  const features = emptyFeatureColumns(n);
  for (const name of FEATURE_COLUMNS) features[name].set(reference.columns[name]);
  const table = {
    rowCount: n,
    ids: Array.from({ length: n }, (_, i) => `reference-${i + 1}`),
    lineNumbers: Uint32Array.from({ length: n }, (_, i) => i + 2),
    features,
    outcome: null,
  };
  const matrix = transformFeatures(model.preprocess, table);
  const scores = new Float64Array(n);
  await model.scorer.scoreInto(toFloat32RowMajor(matrix), n, scores);
  return scores;
}
