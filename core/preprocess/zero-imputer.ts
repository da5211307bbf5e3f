import { ZERO_IMPUTE_COLUMNS, type ZeroImputeColumn } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';

export type ImputeMedians = Record<ZeroImputeColumn, number>;

/** Median of the non-zero training values of each ZERO_IMPUTE column (pandas' median: mean of the middle two). */
export function fitZeroImputer(table: PatientTable): ImputeMedians {
  const medians = {} as ImputeMedians;
  for (const column of ZERO_IMPUTE_COLUMNS) {
    const values = table.features[column].filter((v) => v !== 0).sort();
    if (values.length === 0) throw new Error(`cannot fit the zero imputer: ${column} has no non-zero training values`);
    const mid = values.length >> 1;
    medians[column] = values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
  return medians;
}

/** Writes the imputed column into `out` (which may be the input itself). */
export function imputeZeros(values: Float64Array, median: number, out: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) out[i] = values[i] === 0 ? median : values[i];
  return out;
}
