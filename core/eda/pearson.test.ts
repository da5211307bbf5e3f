import { describe, expect, test } from 'vitest';
import { pearson } from './pearson';

describe('pearson', () => {
  test('of four pairs matches the hand computation', () => {
    // x = 1..4, y = 2 4 5 9: Sxy = 11, Sxx = 5, Syy = 26, r = 11 / sqrt(130).
    const result = pearson([1, 2, 3, 4], [2, 4, 5, 9]);
    expect(result.n).toBe(4);
    expect(result.r).toBeCloseTo(11 / Math.sqrt(130), 14);
  });

  test('skips pairs with a missing value on either side (pairwise-complete)', () => {
    const result = pearson([1, 2, Number.NaN, 3, 4, 7], [2, 4, 100, 5, 9, Number.NaN]);
    expect(result.n).toBe(4);
    expect(result.r).toBeCloseTo(11 / Math.sqrt(130), 14);
  });

  test('is exact for a perfect negative line and unchanged by a large offset with a matching shift', () => {
    expect(pearson([1, 2, 3], [6, 4, 2]).r).toBeCloseTo(-1, 14);
    const offset = 1e9;
    const shifted = pearson(
      [1, 2, 3, 4].map((v) => v + offset),
      [2, 4, 5, 9],
      offset + 2.5,
      5,
    );
    expect(shifted.r).toBeCloseTo(11 / Math.sqrt(130), 12);
  });

  test('is null for a constant column or fewer than two pairs', () => {
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3]).r).toBeNull();
    expect(pearson([1], [2])).toEqual({ r: null, n: 1 });
  });
});
