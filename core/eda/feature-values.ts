import { FEATURE_COLUMNS, type FeatureName, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { sortedFinite, sortFloat64 } from '../table/sort-float64';
import type { ZeroPolicy } from './eda-report';

/**
 * Features whose zeros this analysis counts as missing: the imputed columns and Insulin. Insulin zeros stay zeros
 * for the model (see INSULIN_NOTE), but in the Pima file nearly half the column is zero, far more than genuine zero
 * readings could explain; counting them as values would drag every Insulin statistic towards 0.
 */
export const ZERO_MISSING_COLUMNS: readonly FeatureName[] = [...ZERO_IMPUTE_COLUMNS, 'Insulin'];
const ZERO_MISSING = new Set<FeatureName>(ZERO_MISSING_COLUMNS);
const ZERO_IMPUTED = new Set<FeatureName>(ZERO_IMPUTE_COLUMNS);

export function zeroPolicy(feature: FeatureName): ZeroPolicy {
  if (ZERO_IMPUTED.has(feature)) return 'missing-imputed';
  return ZERO_MISSING.has(feature) ? 'missing-kept' : 'valid';
}

function zerosAreMissing(feature: FeatureName): boolean {
  return ZERO_MISSING.has(feature);
}

/** One feature's values readied once for every section. */
interface PreparedFeature {
  feature: FeatureName;
  zerosExcluded: boolean;
  zeroCount: number;
  nanCount: number;
  /** Values counted as missing (zeros under a missing policy, NaN). */
  missingCount: number;
  /** The column with missing values as NaN (the table's own column when nothing is missing). */
  measured: Float64Array;
  /** The measured values, ascending. */
  sorted: Float64Array;
  /** The measured values by outcome class, ascending; null without outcomes. */
  byClass: { negative: Float64Array; positive: Float64Array } | null;
}

export type PreparedFeatures = Record<FeatureName, PreparedFeature>;

export function prepareFeatures(table: PatientTable): PreparedFeatures {
  const prepared = {} as PreparedFeatures;
  for (const feature of FEATURE_COLUMNS) prepared[feature] = prepareFeature(table, feature);
  return prepared;
}

function prepareFeature(table: PatientTable, feature: FeatureName): PreparedFeature {
  const column = table.features[feature];
  const n = table.rowCount;
  const zerosExcluded = zerosAreMissing(feature);
  let zeroCount = 0;
  let nanCount = 0;
  for (let i = 0; i < n; i++) {
    const v = column[i];
    if (v === 0) zeroCount++;
    else if (Number.isNaN(v)) nanCount++;
  }
  const missingCount = nanCount + (zerosExcluded ? zeroCount : 0);
  let measured = column.subarray(0, n);
  if (zerosExcluded && zeroCount > 0) {
    measured = new Float64Array(n);
    for (let i = 0; i < n; i++) measured[i] = column[i] === 0 ? Number.NaN : column[i];
  }
  const outcome = table.outcome;
  const counts = { feature, zerosExcluded, zeroCount, nanCount, missingCount, measured };
  if (!outcome) return { ...counts, sorted: sortedFinite(measured), byClass: null };
  let positives = 0;
  for (let i = 0; i < n; i++) if (outcome[i] === 1 && !Number.isNaN(measured[i])) positives++;
  const positive = new Float64Array(positives);
  const negative = new Float64Array(n - missingCount - positives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const v = measured[i];
    if (Number.isNaN(v)) continue;
    if (outcome[i] === 1) positive[p++] = v;
    else negative[q++] = v;
  }
  sortFloat64(positive);
  sortFloat64(negative);
  return { ...counts, sorted: mergeSorted(negative, positive), byClass: { negative, positive } };
}

/** Merge of two ascending arrays (cheaper than sorting the whole column again). */
function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
