import { type BinMapper, fitBinMapper, valueToBin } from './bin-mapper';

/**
 * Features binned once into bytes (LightGBM's dense_bin.hpp with 8-bit bins), column-major:
 * bins[f][row]. Labels are 0/1.
 */
export interface BinnedDataset {
  numRows: number;
  featureNames: string[];
  mappers: BinMapper[];
  bins: Uint8Array[];
  labels: Uint8Array;
}

/** Column-major float64 feature matrix with labels, the trainer's input. */
export interface FeatureMatrix {
  numRows: number;
  featureNames: string[];
  columns: Float64Array[];
  labels: Uint8Array;
}

export function fitBinMappers(matrix: FeatureMatrix, maxBin: number, minDataInBin: number): BinMapper[] {
  return matrix.columns.map((column) => fitBinMapper(column, maxBin, minDataInBin));
}

/** Bins a matrix with given mappers (the training part's mappers for validation data). */
export function binMatrix(matrix: FeatureMatrix, mappers: BinMapper[]): BinnedDataset {
  if (mappers.length !== matrix.columns.length) {
    throw new Error(`binMatrix: ${matrix.columns.length} columns but ${mappers.length} bin mappers`);
  }
  const bins = matrix.columns.map((column, f) => {
    const out = new Uint8Array(matrix.numRows);
    const mapper = mappers[f];
    for (let i = 0; i < matrix.numRows; i++) out[i] = valueToBin(mapper, column[i]);
    return out;
  });
  return { numRows: matrix.numRows, featureNames: matrix.featureNames, mappers, bins, labels: matrix.labels };
}

/** Rows picked by index (folds share the mappers fitted on their training rows by the caller). */
export function takeMatrixRows(matrix: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const n = indices.length;
  const columns = matrix.columns.map((column) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = column[indices[i]];
    return out;
  });
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = matrix.labels[indices[i]];
  return { numRows: n, featureNames: matrix.featureNames, columns, labels };
}
