/**
 * A sample reduced to its sorted distinct values and how many observations sit at or below each:
 * the empirical CDF in a form a 1,000,000-row batch can be compared against without sorting the batch.
 */
export interface SortedSample {
  /** Non-missing observations. */
  count: number;
  /** Distinct values, ascending. */
  values: Float64Array;
  /** cumulative[k] = number of observations <= values[k]. */
  cumulative: Float64Array;
}

/** Builds the sorted distinct values of a sample, skipping NaN (missing). */
export function sortedSample(data: ArrayLike<number>): SortedSample {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isNaN(data[i])) count++;
  const sorted = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isNaN(v)) sorted[k++] = v;
  }
  sorted.sort();
  const values: number[] = [];
  const cumulative: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i + 1 === count || sorted[i + 1] !== sorted[i]) {
      values.push(sorted[i]);
      cumulative.push(i + 1);
    }
  }
  return { count, values: Float64Array.from(values), cumulative: Float64Array.from(cumulative) };
}

/**
 * For each distinct reference value r_k: how many current observations are < r_k and how many are <= r_k.
 * One binary search per current value; NaN is skipped. Returns the non-missing current count too.
 */
export function countAgainst(
  reference: SortedSample,
  current: ArrayLike<number>,
): { count: number; below: Float64Array; atOrBelow: Float64Array } {
  const values = reference.values;
  const k = values.length;
  // between[j]: current values in (r_{j-1}, r_j) (j = k: above the last); equal[j]: current values == r_j.
  const between = new Float64Array(k + 1);
  const equal = new Float64Array(k);
  let count = 0;
  for (let i = 0; i < current.length; i++) {
    const c = current[i];
    if (Number.isNaN(c)) continue;
    count++;
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] < c) lo = mid + 1;
      else hi = mid;
    }
    if (lo < k && values[lo] === c) equal[lo]++;
    else between[lo]++;
  }
  const below = new Float64Array(k);
  const atOrBelow = new Float64Array(k);
  let running = 0;
  for (let j = 0; j < k; j++) {
    running += between[j];
    below[j] = running;
    running += equal[j];
    atOrBelow[j] = running;
  }
  return { count, below, atOrBelow };
}
