import type { ModelMatrix } from '../../core/preprocess/model-matrix';
import { MODEL_FEATURES } from '../../core/schema/columns';
import type { FeatureMatrix } from '../io/binned-dataset';

/** The preprocessed model matrix (MODEL_FEATURES order) with labels, as the trainer takes it. */
export function toFeatureMatrix(matrix: ModelMatrix, labels: Uint8Array): FeatureMatrix {
  if (labels.length !== matrix.rowCount) {
    throw new Error(`toFeatureMatrix: ${matrix.rowCount} rows but ${labels.length} labels`);
  }
  return {
    numRows: matrix.rowCount,
    featureNames: [...MODEL_FEATURES],
    columns: MODEL_FEATURES.map((name) => matrix.columns[name]),
    labels,
  };
}
