import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { type ColumnScan, ColumnScanner, scanColumn } from './column-scan';
import { countAgainst, ReferenceLocator, sortedSample } from './sorted-sample';

/** The scan written plainly, as the oracle: every field from its definition. */
function plainScan(data: Float64Array): ColumnScan {
  const values = Array.from(data).filter((v) => !Number.isNaN(v));
  const few = new Map<number, number>();
  for (const v of values) few.set(v, (few.get(v) ?? 0) + 1);
  return {
    length: data.length,
    count: values.length,
    missing: data.length - values.length,
    zeros: values.filter((v) => v === 0).length,
    min: Math.min(...values),
    max: Math.max(...values),
    few: few.size <= 16 ? few : null,
  };
}

describe('ColumnScanner', () => {
  test('a column scanned in parts gives the scan of the whole column, KS counts included', () => {
    const { raw } = loadPimaColumns();
    for (const name of ['Glucose', 'Pregnancies', 'BMI'] as const) {
      const reference = raw[name].slice(0, 300);
      // The current column: the rest, with missing values, -0, values outside the reference's range (the lowest in
      // the first part, the highest in the third), and more than 16 distinct values only past the first part.
      const rest = Array.from(raw[name].subarray(300));
      const current = Float64Array.from([-5, 1, 2, Number.NaN, -0, ...rest.slice(0, 50), 1e6, ...rest.slice(50)]);
      const sorted = sortedSample(reference);
      const locator = new ReferenceLocator(sorted);
      const scanner = new ColumnScanner(locator);
      for (const [from, to] of [
        [0, 3],
        [3, 3],
        [3, 100],
        [100, current.length],
      ]) {
        scanner.add(current.subarray(from, to));
      }
      const scan = scanner.result();
      expect(scan).toEqual(plainScan(current));
      expect(scan.few).toBeNull();
      expect(locator.result()).toEqual(countAgainst(sorted, current));
      const plain = new ColumnScanner();
      plain.add(current.subarray(0, 4));
      plain.add(current.subarray(4));
      expect(plain.result()).toEqual(plainScan(current));
    }
  });

  test('few distinct values are kept in the order they first appear, across parts', () => {
    const current = Float64Array.from([3, 3, 0, Number.NaN, 1, 3, 2, 0, 1]);
    const scanner = new ColumnScanner();
    scanner.add(current.subarray(0, 2));
    scanner.add(current.subarray(2, 6));
    scanner.add(current.subarray(6));
    const scan = scanner.result();
    expect(scan).toEqual(plainScan(current));
    expect([...(scan.few ?? new Map()).entries()]).toEqual([
      [3, 3],
      [0, 2],
      [1, 2],
      [2, 1],
    ]);
    expect(scanColumn(current)).toEqual(scan);
  });
});
