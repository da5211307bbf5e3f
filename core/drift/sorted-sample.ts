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
 * starting index, comparisons then correct it, so the result is exact whatever the rounding. Feed it columns with
 * addAll(), then call result().
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

  /** The lookup state, for scanColumn's fused loop (one read of a big column for the scan and the KS counts). */
  state(): {
    values: Float64Array;
    lookup: Uint32Array;
    between: Float64Array;
    equal: Float64Array;
    first: number;
    last: number;
    scale: number;
  } {
    return {
      values: this.values,
      lookup: this.lookup,
      between: this.between,
      equal: this.equal,
      first: this.first,
      last: this.last,
      scale: this.scale,
    };
  }

  /** Records values counted by a fused loop over state(). */
  addCounted(count: number): void {
    this.count += count;
  }

  /** Adds every non-missing value of a column: one tight loop over locals. */
  addAll(data: ArrayLike<number>): void {
    const values = this.values;
    const lookup = this.lookup;
    const between = this.between;
    const equal = this.equal;
    const first = this.first;
    const last = this.last;
    const scale = this.scale;
    const k = values.length;
    let count = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      if (Number.isNaN(c)) continue;
      count++;
      if (c < first) {
        between[0]++;
        continue;
      }
      if (c > last) {
        between[k]++;
        continue;
      }
      // (c - first) * scale is in [0, buckets]: truncation is the floor.
      let lo = lookup[((c - first) * scale) | 0];
      while (lo > 0 && values[lo - 1] >= c) lo--;
      while (lo < k && values[lo] < c) lo++;
      if (lo < k && values[lo] === c) equal[lo]++;
      else between[lo]++;
    }
    this.count += count;
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
  locator.addAll(current);
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
