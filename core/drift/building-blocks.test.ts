import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../util/seeded-random';
import { chi2Contingency, chiSquareGoodnessOfFit } from './chi-square-test';
import { jensenShannonDistance } from './jensen-shannon';
import { ksTwoSample } from './ks-test';
import { roundHalfEven } from './round-half-even';
import { countAgainst, sortedSample } from './sorted-sample';
import { histogramCounts, linspaceEdges, sturgesEdges } from './uniform-bins';
import { wassersteinSorted } from './wasserstein';
import { twoProportionZTest } from './z-test';

describe('small hand-checked cases', () => {
  test('KS on 5 vs 7 values: D = 5/7 at x = 5 (F_ref = 5/5, F_cur = 2/7)', () => {
    const r = ksTwoSample([1, 2, 3, 4, 5], [2.5, 3.5, 6, 7, 8, 9, 10]);
    expect(r.statistic).toBeCloseTo(5 / 7, 15);
    expect(r.mode).toBe('exact');
    // 52 of the C(12, 5) = 792 equally likely orderings reach D >= 5/7 (scipy agrees: scipy-reference.test.ts).
    expect(r.pValue).toBeCloseTo(52 / 792, 12);
  });

  test('KS is symmetric in its samples and 0 / p = 1 for identical samples', () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6];
    const b = [2, 7, 1, 8, 2, 8];
    expect(ksTwoSample(a, b).statistic).toBe(ksTwoSample(b, a).statistic);
    expect(ksTwoSample(a, b).pValue).toBeCloseTo(ksTwoSample(b, a).pValue, 14);
    expect(ksTwoSample(a, a)).toMatchObject({ statistic: 0, pValue: 1 });
  });

  test('missing values (NaN) are left out of the KS test', () => {
    expect(ksTwoSample([1, 2, Number.NaN, 3], [2, Number.NaN, 4]).referenceCount).toBe(3);
    expect(ksTwoSample([1, 2, 3], [2, 4])).toEqual({ ...ksTwoSample([1, 2, Number.NaN, 3], [2, Number.NaN, 4]) });
  });

  test('countAgainst counts current values below and at each reference value, ties included', () => {
    const ref = sortedSample([5, 1, 3, 3]);
    expect(Array.from(ref.values)).toEqual([1, 3, 5]);
    expect(Array.from(ref.cumulative)).toEqual([1, 3, 4]);
    const c = countAgainst(ref, [0, 1, 2, 3, 3, 4, 6, Number.NaN]);
    expect(c.count).toBe(7);
    expect(Array.from(c.below)).toEqual([1, 3, 6]);
    expect(Array.from(c.atOrBelow)).toEqual([2, 5, 6]);
  });

  test('roundHalfEven matches numpy.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  test('chi-square goodness of fit by hand: counts 30/10 against reference 20/20 scaled to 40', () => {
    // expected 20 and 20: (10² + 10²) / 20 = 10 with 1 dof.
    const r = chiSquareGoodnessOfFit(
      [...Array(20).fill(0), ...Array(20).fill(1)],
      [...Array(30).fill(0), ...Array(10).fill(1)],
    );
    expect(r.statistic).toBeCloseTo(10, 12);
    expect(r.dof).toBe(1);
    expect(r.pValue).toBeCloseTo(0.0015654022580025018, 12); // erfc(sqrt(5))
  });

  test('chi2_contingency applies Yates only to dof 1, and refuses an empty column', () => {
    // [[10, 0], [0, 10]]: expected 5 everywhere, |o - e| = 5 shrinks to 4.5: 4 · 4.5² / 5 = 16.2.
    expect(
      chi2Contingency([
        [10, 0],
        [0, 10],
      ]).statistic,
    ).toBeCloseTo(16.2, 12);
    expect(
      chi2Contingency(
        [
          [10, 0],
          [0, 10],
        ],
        false,
      ).statistic,
    ).toBeCloseTo(20, 12);
    expect(() =>
      chi2Contingency([
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/expected count of cell \[0\]\[1\] is 0/);
  });

  test('z-test: identical single value gives p = 1; 50% vs 50% gives z = 0', () => {
    expect(twoProportionZTest([1, 1, 1], [1, 1])).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest([0, 1, 0, 1], [1, 0]).statistic).toBe(0);
  });

  test('Wasserstein by hand: {0,1,3} vs {5,6,8} is a shift by 5', () => {
    expect(wassersteinSorted([0, 1, 3], [5, 6, 8])).toBe(5);
    expect(wassersteinSorted([0, 0, 1], [0, 1, 1])).toBeCloseTo(1 / 3, 15);
  });

  test('Jensen-Shannon base 2: 0 for identical, 1 for disjoint distributions', () => {
    expect(jensenShannonDistance([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });

  test('histogram bins are [e_i, e_i+1), the last bin closed, outside values dropped', () => {
    const edges = linspaceEdges(0, 1, 4);
    expect(Array.from(edges)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(histogramCounts([0, 0.25, 0.3, 0.75, 1, 1.2, -0.1, Number.NaN], edges))).toEqual([1, 2, 0, 2]);
  });

  test('a long column of small integers is binned exactly as the same values as doubles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        (low, spread, offset, width, bins, seed) => {
          const first = low + offset;
          // 2^16 + a few values around `low`, some of them on bin edges and beyond both ends.
          const random = mulberry32(seed);
          const data = Uint16Array.from({ length: 65_536 + 7 }, () =>
            Math.min(65535, low + Math.floor(random() * spread)),
          );
          const edges = linspaceEdges(first, first + width, bins);
          if (Number.isInteger(edges[1])) data[0] = edges[1];
          expect(Array.from(histogramCounts(data, edges))).toEqual(
            Array.from(histogramCounts(Float64Array.from(data), edges)),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  test("numpy's 'sturges': ceil(log2(n) + 1) bins for n points, [v-0.5, v+0.5] for a constant", () => {
    expect(sturgesEdges(0, 10, 1000).length - 1).toBe(Math.ceil(Math.log2(1000) + 1));
    expect(Array.from(sturgesEdges(3, 3, 10))).toEqual([2.5, 3.5]);
  });
});
