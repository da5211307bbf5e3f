import type { ColumnScan } from './column-scan';
import { unionKeys, valueCounts } from './value-counts';

/** One feature's reference and current columns with their scans and declared kind, as the drift tests read them. */
export interface ColumnPair {
  ref: ArrayLike<number>;
  cur: ArrayLike<number>;
  refScan: ColumnScan;
  curScan: ColumnScan;
  declared: 'num' | 'cat';
}

/** Counts of each distinct non-missing value of the reference and current columns (the scans' when they kept them). */
export function pairCounts(pair: ColumnPair): { reference: Map<number, number>; current: Map<number, number> } {
  return {
    reference: pair.refScan.few ?? valueCounts(pair.ref),
    current: pair.curScan.few ?? valueCounts(pair.cur),
  };
}

/** Both columns' counts on the union of their values, ascending; a value one side never has counts 0 there. */
export function alignedCounts(pair: ColumnPair): { keys: number[]; reference: number[]; current: number[] } {
  const { reference, current } = pairCounts(pair);
  const keys = unionKeys(reference, current);
  return { keys, reference: keys.map((k) => reference.get(k) ?? 0), current: keys.map((k) => current.get(k) ?? 0) };
}
