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

/** Current counts located among the reference's distinct values (see countAgainst). */
export interface CountsAgainst {
  /** Non-missing current values. */
  count: number;
  /** below[k] = current values < r_k. */
  below: Float64Array;
  /** atOrBelow[k] = current values <= r_k. */
  atOrBelow: Float64Array;
}

/**
 * Locates current values among the reference's distinct values: a bucket table over the reference's range gives a
 * starting index, comparisons then correct it, so the result is exact whatever the rounding. Feed it one value at a
 * time with add() (so a caller's single pass over a big column can do other work too), then call result().
 */
export class ReferenceLocator {
  private readonly values: Float64Array;
  private readonly lookup: Uint32Array;
  private readonly first: number;
  private readonly last: number;
  private readonly scale: number;
  // between[j]: current values in (r_{j-1}, r_j) (j = k: above the last); equal[j]: current values == r_j.
  private readonly between: Float64Array;
  private readonly equal: Float64Array;
  private count = 0;

  constructor(reference: SortedSample) {
    const values = reference.values;
    const k = values.length;
    if (k === 0) throw new RangeError('the reference sample has no values');
    this.values = values;
    this.lookup = bucketLookup(values);
    this.first = values[0];
    this.last = values[k - 1];
    const buckets = this.lookup.length - 1;
    this.scale = this.last > this.first ? buckets / (this.last - this.first) : 0;
    this.between = new Float64Array(k + 1);
    this.equal = new Float64Array(k);
  }

  /** Adds one non-missing value. */
  add(c: number): void {
    this.count++;
    const values = this.values;
    const k = values.length;
    if (c < this.first) {
      this.between[0]++;
      return;
    }
    if (c > this.last) {
      this.between[k]++;
      return;
    }
    let lo = this.lookup[Math.floor((c - this.first) * this.scale)];
    while (lo > 0 && values[lo - 1] >= c) lo--;
    while (lo < k && values[lo] < c) lo++;
    if (lo < k && values[lo] === c) this.equal[lo]++;
    else this.between[lo]++;
  }

  result(): CountsAgainst {
    const k = this.values.length;
    const below = new Float64Array(k);
    const atOrBelow = new Float64Array(k);
    let running = 0;
    for (let j = 0; j < k; j++) {
      running += this.between[j];
      below[j] = running;
      running += this.equal[j];
      atOrBelow[j] = running;
    }
    return { count: this.count, below, atOrBelow };
  }
}

/** For each distinct reference value r_k: how many current values are < r_k and <= r_k (NaN skipped). */
export function countAgainst(reference: SortedSample, current: ArrayLike<number>): CountsAgainst {
  const locator = new ReferenceLocator(reference);
  for (let i = 0; i < current.length; i++) {
    const c = current[i];
    if (!Number.isNaN(c)) locator.add(c);
  }
  return locator.result();
}

/** lookup[b] = index of the first value >= the start of bucket b, for equal-width buckets over [min, max]. */
function bucketLookup(values: Float64Array): Uint32Array {
  const k = values.length;
  const buckets = Math.min(1 << 16, Math.max(1024, 8 * k));
  const lookup = new Uint32Array(buckets + 1);
  const first = values[0];
  const width = (values[k - 1] - first) / buckets;
  let idx = 0;
  for (let b = 0; b <= buckets; b++) {
    const start = first + b * width;
    while (idx < k && values[idx] < start) idx++;
    lookup[b] = idx;
  }
  return lookup;
}
