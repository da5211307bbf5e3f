// Tests only may reach into training/ from core: the trainer's own matrix builder, so training tests see exactly
// what the trainer sees.
import { toFeatureMatrix } from '../../training/data-prep/feature-matrix';
import { loadTrainingTable } from '../../training/data-prep/load-training-table';
import type { FeatureMatrix } from '../../training/io/binned-dataset';
import { fitPreprocessor, transformFeatures } from '../preprocess/pipeline';
import { PIMA_PATH } from './pima';

/** The shared Pima file (768 rows), preprocessed with parameters fitted on all rows. */
export async function loadPimaMatrix(): Promise<FeatureMatrix> {
  const { table } = await loadTrainingTable(PIMA_PATH);
  const params = fitPreprocessor(table);
  if (!table.outcome) throw new Error('no outcome');
  return toFeatureMatrix(transformFeatures(params, table), table.outcome);
}
