import type { ReferenceLocator } from './sorted-sample';

/** Distinct values tracked per column before giving up: enough to tell Evidently's 2 / 5 cut-offs apart. */
const FEW_VALUES_LIMIT = 16;

/** One pass over a column: counts, zeros, missing, range, and the distinct values with counts while there are few. */
export interface ColumnScan {
  length: number;
  /** Non-missing values. */
  count: number;
  missing: number;
  zeros: number;
  min: number;
  max: number;
  /** Distinct values and their counts, or null once there are more than FEW_VALUES_LIMIT of them. */
  few: Map<number, number> | null;
}

/**
 * One pass over a column: counts, zeros, missing, range, and the few distinct values with their counts. With a
 * `locator`, each value is also located among the reference's values in the same loop (the KS counts), so a
 * 1,000,000-row column is read once for both.
 */
export function scanColumn(data: ArrayLike<number>, locator?: ReferenceLocator): ColumnScan {
  if (locator) return scanAndLocate(data, locator);
  const keys: number[] = [];
  const counts: number[] = [];
  let overflow = false;
  let count = 0;
  let missing = 0;
  let zeros = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    count++;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!overflow) {
      let k = 0;
      while (k < keys.length && keys[k] !== v) k++;
      if (k < keys.length) counts[k]++;
      else if (keys.length < FEW_VALUES_LIMIT) {
        keys.push(v);
        counts.push(1);
      } else overflow = true;
    }
  }
  let few: Map<number, number> | null = null;
  if (!overflow) {
    few = new Map();
    for (let k = 0; k < keys.length; k++) few.set(keys[k], counts[k]);
  }
  return { length: data.length, count, missing, zeros, min, max, few };
}

/** Distinct values over both samples: exact up to FEW_VALUES_LIMIT, otherwise FEW_VALUES_LIMIT + 1 (meaning "more"). */
export function distinctAcross(a: ColumnScan, b: ColumnScan): number {
  if (!a.few || !b.few) return FEW_VALUES_LIMIT + 1;
  const union = new Set<number>(a.few.keys());
  for (const k of b.few.keys()) union.add(k);
  return union.size;
}

function scanAndLocate(data: ArrayLike<number>, locator: ReferenceLocator): ColumnScan {
  const { values, lookup, between, equal, first, last, scale } = locator.state();
  const k = values.length;
  const keys: number[] = [];
  const counts: number[] = [];
  let overflow = false;
  let count = 0;
  let missing = 0;
  let zeros = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    count++;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!overflow) {
      let j = 0;
      while (j < keys.length && keys[j] !== v) j++;
      if (j < keys.length) counts[j]++;
      else if (keys.length < FEW_VALUES_LIMIT) {
        keys.push(v);
        counts.push(1);
      } else overflow = true;
    }
    if (v < first) between[0]++;
    else if (v > last) between[k]++;
    else {
      // (v - first) * scale lies in [0, buckets]: truncation is the floor; comparisons then make it exact.
      let lo = lookup[((v - first) * scale) | 0];
      while (lo > 0 && values[lo - 1] >= v) lo--;
      while (lo < k && values[lo] < v) lo++;
      if (lo < k && values[lo] === v) equal[lo]++;
      else between[lo]++;
    }
  }
  locator.addCounted(count);
  let few: Map<number, number> | null = null;
  if (!overflow) {
    few = new Map();
    for (let j = 0; j < keys.length; j++) few.set(keys[j], counts[j]);
  }
  return { length: data.length, count, missing, zeros, min, max, few };
}
