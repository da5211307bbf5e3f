// Tests only: a real model built with training's own code, so the pipeline is exercised on a genuine tree
// ensemble and its ONNX export, not a stub, whether or not a committed bundle exists.
import { trainGbdt } from '../../training/boosting/gbdt';
import { toFeatureMatrix } from '../../training/data-prep/feature-matrix';
import { exportOnnx } from '../../training/export/onnx-tree-ensemble';
import { binMatrix, fitBinMappers } from '../../training/io/binned-dataset';
import { createOnnxScorer, type OnnxScorer } from '../inference/onnx-session';
import { calibratedProbability, type PlattCalibration, predictMargin, type TreeEnsemble } from '../model/tree';
import { rowOf } from '../preprocess/model-matrix';
import { fitPreprocessor, type PreprocessParams, transformFeatures } from '../preprocess/pipeline';
import type { ScreeningModel } from '../screening/screening-model';
import { trainingRangeOf } from '../screening/training-range';
import type { PatientTable } from '../table/patient-table';
import { seededRandom } from '../util/seeded-random';
import { loadPimaTable } from './pima';

export interface TestModelParts {
  table: PatientTable;
  preprocess: PreprocessParams;
  ensemble: TreeEnsemble;
  calibration: PlattCalibration;
  onnx: Uint8Array;
}

let cached: Promise<TestModelParts> | null = null;

export function buildTestModelParts(numIterations = 60): Promise<TestModelParts> {
  cached ??= (async () => {
    const table = await loadPimaTable();
    if (!table.outcome) throw new Error('the Pima file did not load');
    const preprocess = fitPreprocessor(table);
    const matrix = toFeatureMatrix(transformFeatures(preprocess, table), table.outcome as Uint8Array);
    const { ensemble } = trainGbdt(binMatrix(matrix, fitBinMappers(matrix, 255, 3)), {
      numIterations,
      learningRate: 0.08,
      numLeaves: 15,
      minDataInLeaf: 10,
      scalePosWeight: 1.8,
    });
    const calibration: PlattCalibration = { method: 'platt', slope: 0.9, intercept: -0.1 };
    return { table, preprocess, ensemble, calibration, onnx: exportOnnx(ensemble, calibration) };
  })();
  return cached;
}

export async function buildTestModel(version = 'v0.0.1'): Promise<ScreeningModel> {
  const parts = await buildTestModelParts();
  return {
    version,
    dir: null,
    threshold: 0.4,
    riskCuts: { medium: 0.35, high: 0.6 },
    preprocess: parts.preprocess,
    scorer: await createOnnxScorer(parts.onnx, { featureCount: 11 }),
    trainingRange: trainingRangeOf(parts.table.features),
  };
}

/** The TypeScript trees' calibrated probability of one table row: an independent check of ONNX. */
export function referenceScores(parts: TestModelParts, table: PatientTable): Float64Array {
  const matrix = transformFeatures(parts.preprocess, table);
  const out = new Float64Array(table.rowCount);
  const row = new Float64Array(11);
  for (let i = 0; i < table.rowCount; i++) {
    // ONNX sees float32 inputs; round the same way so both take the same branches.
    rowOf(matrix, i, row);
    for (let f = 0; f < 11; f++) row[f] = Math.fround(row[f]);
    out[i] = calibratedProbability(parts.calibration, predictMargin(parts.ensemble, row));
  }
  return out;
}

/**
 * For the threaded scorers' tests: the test model, `rows` seeded random input rows (float32, 11 features) and a
 * one-thread session on this thread whose scores the scorer under test must reproduce exactly.
 */
export async function scoringFixture(
  rows: number,
  seed: number,
): Promise<{ parts: TestModelParts; input: Float32Array; reference: OnnxScorer }> {
  const parts = await buildTestModelParts();
  const random = seededRandom(seed);
  const input = Float32Array.from({ length: rows * 11 }, () => random() * 200);
  const reference = await createOnnxScorer(parts.onnx, { featureCount: 11, intraOpNumThreads: 1 });
  return { parts, input, reference };
}
