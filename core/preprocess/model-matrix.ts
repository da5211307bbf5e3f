import { MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';

/** The 11 model inputs, columnar, in MODEL_FEATURES order. */
export interface ModelMatrix {
  rowCount: number;
  columns: Record<ModelFeatureName, Float64Array>;
}

/** Row-major float32 [N, 11], the ONNX input; `out` is reused when large enough. */
export function toFloat32RowMajor(matrix: ModelMatrix, out?: Float32Array): Float32Array {
  const width = MODEL_FEATURES.length;
  const n = matrix.rowCount;
  const target = out && out.length >= n * width ? out.subarray(0, n * width) : new Float32Array(n * width);
  for (let f = 0; f < width; f++) {
    const column = matrix.columns[MODEL_FEATURES[f]];
    // Stryker disable next-line EqualityOperator: target has n · width entries, so a write at row n is dropped
    for (let i = 0, j = f; i < n; i++, j += width) target[j] = column[i];
  }
  return target;
}

/** One row's 11 values, for the TypeScript trees and explanations. */
export function rowOf(matrix: ModelMatrix, index: number, out: Float64Array = new Float64Array(MODEL_FEATURES.length)) {
  for (let f = 0; f < MODEL_FEATURES.length; f++) out[f] = matrix.columns[MODEL_FEATURES[f]][index];
  return out;
}
