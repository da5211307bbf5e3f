import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';

/**
 * Columnar patients: one Float64Array per raw feature, as arrow-js keeps typed buffers.
 * Rows exist only at the edges (CSV parse, UI grid, CSV write).
 */
export interface PatientTable {
  rowCount: number;
  /** patient_id; training files without ids get `row-<line>`. */
  ids: string[];
  /** 1-based physical line of each row in its source file (the header is line 1). */
  lineNumbers: Uint32Array;
  features: Record<FeatureName, Float64Array>;
  /** 0/1 outcome for training files, null for screening batches. */
  outcome: Uint8Array | null;
}

export function emptyFeatureColumns(rowCount: number): Record<FeatureName, Float64Array> {
  const columns = {} as Record<FeatureName, Float64Array>;
  for (const name of FEATURE_COLUMNS) columns[name] = new Float64Array(rowCount);
  return columns;
}

/** Rows [start, end) as a view: typed columns are subarrays, no copy. */
export function sliceTable(table: PatientTable, start: number, end: number): PatientTable {
  const features = {} as Record<FeatureName, Float64Array>;
  for (const name of FEATURE_COLUMNS) features[name] = table.features[name].subarray(start, end);
  return {
    rowCount: end - start,
    ids: table.ids.slice(start, end),
    lineNumbers: table.lineNumbers.subarray(start, end),
    features,
    outcome: table.outcome ? table.outcome.subarray(start, end) : null,
  };
}

/** Rows picked by index (for train/validation/test splits and folds). */
export function takeRows(table: PatientTable, indices: ArrayLike<number>): PatientTable {
  const n = indices.length;
  const features = emptyFeatureColumns(n);
  const ids: string[] = new Array(n);
  const lineNumbers = new Uint32Array(n);
  const outcome = table.outcome ? new Uint8Array(n) : null;
  for (let i = 0; i < n; i++) {
    const r = indices[i];
    ids[i] = table.ids[r];
    lineNumbers[i] = table.lineNumbers[r];
    if (outcome && table.outcome) outcome[i] = table.outcome[r];
  }
  for (const name of FEATURE_COLUMNS) {
    const src = table.features[name];
    const dst = features[name];
    for (let i = 0; i < n; i++) dst[i] = src[indices[i]];
  }
  return { rowCount: n, ids, lineNumbers, features, outcome };
}
