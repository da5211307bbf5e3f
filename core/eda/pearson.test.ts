import { describe, expect, test } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import { pearson, pearsonMatrix } from './pearson';

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

describe('pearsonMatrix', () => {
  test('equals pearson for every pair, over more rows than one block, with scattered missing values', () => {
    const next = seededRandom(12345);
    const rows = 5000;
    const x = Array.from({ length: rows }, () => (next() < 0.3 ? Number.NaN : 50 + next() * 100));
    const y = x.map((v) => (next() < 0.2 ? Number.NaN : (Number.isNaN(v) ? 80 : v) * 0.5 + next() * 40));
    const z = x.map((_, i) => (i % 7) + next());
    // w is complete and comes first, z complete and last: every pair kind (complete/partial in either order) occurs.
    const w = x.map((v, i) => (Number.isNaN(v) ? 100 : v) * 0.1 + (i % 3));
    const columns = [w, x, y, z];
    const matrix = pearsonMatrix(columns, [10, 100, 70, 3], rows);
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        const expected = pearson(columns[a], columns[b]);
        expect(matrix[a][b].n).toBe(expected.n);
        expect(matrix[a][b].r).toBeCloseTo(expected.r as number, 12);
      }
    }
    expect(matrix[1][2].n).toBeLessThan(rows * 0.6);
    expect(matrix[1][2].r).toBeGreaterThan(0.5);
    expect(matrix[0][1].r).toBeGreaterThan(0.5);
  });
});
