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
  const scanner = new ColumnScanner(locator);
  scanner.add(data);
  return scanner.result();
}

/**
 * scanColumn over a column that arrives in parts: add() each part in order, and result() is what scanColumn gives
 * on the whole column (the distinct values in the same order, the locator's counts the same), so that a batch's
 * columns can be scanned chunk by chunk as they are read.
 */
export class ColumnScanner {
  private readonly keys: number[] = [];
  private readonly counts: number[] = [];
  private overflow = false;
  private length = 0;
  private count = 0;
  private missing = 0;
  private zeros = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(private readonly locator?: ReferenceLocator) {}

  add(data: ArrayLike<number>): void {
    if (this.locator) this.addLocated(data, this.locator);
    else this.addPlain(data);
    this.length += data.length;
  }

  result(): ColumnScan {
    let few: Map<number, number> | null = null;
    if (!this.overflow) {
      few = new Map();
      for (let k = 0; k < this.keys.length; k++) few.set(this.keys[k], this.counts[k]);
    }
    const { length, count, missing, zeros, min, max } = this;
    return { length, count, missing, zeros, min, max, few };
  }

  private keep(overflow: boolean, count: number, missing: number, zeros: number, min: number, max: number): void {
    this.overflow = overflow;
    this.count = count;
    this.missing = missing;
    this.zeros = zeros;
    this.min = min;
    this.max = max;
  }

  // The two loops below keep the totals in locals (one tight loop over a big column) and store them at the end.
  private addPlain(data: ArrayLike<number>): void {
    const { keys, counts } = this;
    let { overflow, count, missing, zeros, min, max } = this;
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
    this.keep(overflow, count, missing, zeros, min, max);
  }

  private addLocated(data: ArrayLike<number>, locator: ReferenceLocator): void {
    const { values, lookup, between, equal, first, last, scale } = locator.state();
    const k = values.length;
    const { keys, counts } = this;
    let { overflow, count, missing, zeros, min, max } = this;
    const countBefore = count;
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
    locator.addCounted(count - countBefore);
    this.keep(overflow, count, missing, zeros, min, max);
  }
}

/** Distinct values over both samples: exact up to FEW_VALUES_LIMIT, otherwise FEW_VALUES_LIMIT + 1 (meaning "more"). */
export function distinctAcross(a: ColumnScan, b: ColumnScan): number {
  if (!a.few || !b.few) return FEW_VALUES_LIMIT + 1;
  const union = new Set<number>(a.few.keys());
  for (const k of b.few.keys()) union.add(k);
  return union.size;
}
