// Tests and benchmarks only: a second real model, trained differently from the test model, to put in shadow.
import { trainGbdt } from '../../training/boosting/gbdt';
import { toFeatureMatrix } from '../../training/data-prep/feature-matrix';
import { exportOnnx } from '../../training/export/onnx-tree-ensemble';
import { binMatrix, fitBinMappers } from '../../training/io/binned-dataset';
import { createOnnxScorer } from '../inference/onnx-session';
import type { PlattCalibration } from '../model/tree';
import { fitPreprocessor, type PreprocessParams, transformFeatures } from '../preprocess/pipeline';
import type { ShadowScreeningModel } from '../screening/shadow-model';
import { sliceTable } from '../table/patient-table';
import { loadPimaTable } from './pima';
import type { TestModelParts } from './test-model';

const cache = new Map<string, Promise<TestModelParts>>();

/**
 * A smaller, shallower ensemble than the test model's, so that its scores and some of its recommendations differ.
 * `ownPreprocessing`: its imputation and scaling are fitted on the first 500 rows only, so they differ from the
 * test model's and the shadow cannot reuse production's model matrix.
 */
export function buildChallengerParts(options: { ownPreprocessing?: boolean } = {}): Promise<TestModelParts> {
  const key = options.ownPreprocessing ? 'own' : 'shared';
  let parts = cache.get(key);
  if (!parts) {
    parts = (async () => {
      const table = await loadPimaTable();
      if (!table.outcome) throw new Error('the Pima file did not load');
      const preprocess: PreprocessParams = fitPreprocessor(
        options.ownPreprocessing ? sliceTable(table, 0, 500) : table,
      );
      const matrix = toFeatureMatrix(transformFeatures(preprocess, table), table.outcome as Uint8Array);
      const { ensemble } = trainGbdt(binMatrix(matrix, fitBinMappers(matrix, 255, 3)), {
        numIterations: 25,
        learningRate: 0.1,
        numLeaves: 7,
        minDataInLeaf: 20,
        scalePosWeight: 1.2,
      });
      const calibration: PlattCalibration = { method: 'platt', slope: 1, intercept: 0 };
      return { table, preprocess, ensemble, calibration, onnx: exportOnnx(ensemble, calibration) };
    })();
    cache.set(key, parts);
  }
  return parts;
}

/** The challenger as screenFile's shadow, with the given assignment id and version. */
export async function buildChallengerShadow(
  assignmentId: number,
  version = 'v0.0.2',
  options: { ownPreprocessing?: boolean } = {},
): Promise<ShadowScreeningModel> {
  const parts = await buildChallengerParts(options);
  return {
    assignmentId,
    version,
    threshold: 0.4,
    riskCuts: { medium: 0.35, high: 0.6 },
    preprocess: parts.preprocess,
    scorer: await createOnnxScorer(parts.onnx, { featureCount: 11 }),
  };
}
