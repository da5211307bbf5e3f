import { fitPreprocessor, transformFeatures } from '../../core/preprocess/pipeline';
import { pimaPath } from '../../core/testing/pima';
import { toFeatureMatrix } from '../data-prep/feature-matrix';
import { loadTrainingTable } from '../data-prep/load-training-table';
import type { FeatureMatrix } from '../io/binned-dataset';

/** The shared Pima file (768 rows), preprocessed with parameters fitted on all rows: for tests only. */
export const PIMA_PATH = pimaPath();

export async function loadPimaMatrix(): Promise<FeatureMatrix> {
  const { table } = await loadTrainingTable(PIMA_PATH);
  const params = fitPreprocessor(table);
  if (!table.outcome) throw new Error('no outcome');
  return toFeatureMatrix(transformFeatures(params, table), table.outcome);
}
