import { describe, expect, test } from 'vitest';
import { normalSf } from '../drift/normal-distribution';
import { mannWhitney } from './mann-whitney';

describe('Mann-Whitney U (asymptotic, tie and continuity corrected)', () => {
  test('on 3 vs 2 values without ties', () => {
    // Ranks of x = 1, 2, 3: R = 6, U_x = 6 - 3·4/2 = 0, U_y = 6; σ = sqrt(3·2/12 · 6) = sqrt(3);
    // z = (6 - 3 - 0.5) / sqrt(3); p = 2·P(Z > z). scipy.stats.mannwhitneyu(method='asymptotic'): U 0, p 0.14891467317876572.
    const result = mannWhitney([1, 2, 3], [4, 5]);
    expect(result?.u).toBe(0);
    expect(result?.z).toBeCloseTo(2.5 / Math.sqrt(3), 14);
    expect(result?.pValue).toBeCloseTo(2 * normalSf(2.5 / Math.sqrt(3)), 14);
    expect(result?.pValue).toBeCloseTo(0.14891467317876572, 12);
  });

  test('on 4 vs 3 values with ties', () => {
    // Combined 1 2 2 2 3 3 4: the 2s share rank 3, the 3s rank 5.5; R_x = 1 + 3 + 3 + 5.5 = 12.5, U_x = 2.5,
    // U_y = 9.5; Σ(t³ - t) = 24 + 6 = 30; σ² = 12/12 · (8 - 30/42); z = (9.5 - 6 - 0.5) / σ.
    // scipy: U 2.5, p 0.2663799233424825.
    const result = mannWhitney([1, 2, 2, 3], [2, 3, 4]);
    const z = 3 / Math.sqrt(8 - 30 / 42);
    expect(result?.u).toBe(2.5);
    expect(result?.z).toBeCloseTo(z, 14);
    expect(result?.pValue).toBeCloseTo(0.2663799233424825, 12);
  });

  test('is symmetric in p and complementary in U when the samples swap', () => {
    const forward = mannWhitney([1, 2, 2, 3], [2, 3, 4]);
    const backward = mannWhitney([2, 3, 4], [1, 2, 2, 3]);
    expect(backward?.u).toBe(4 * 3 - 2.5);
    expect(backward?.pValue).toBe(forward?.pValue);
  });

  test('does not depend on input order and ignores NaN', () => {
    expect(mannWhitney([3, Number.NaN, 1, 2], [5, 4])).toEqual(mannWhitney([1, 2, 3], [4, 5]));
  });

  test('is null for an empty sample or when every value is tied', () => {
    expect(mannWhitney([], [1, 2])).toBeNull();
    expect(mannWhitney([7, 7], [7, 7, 7])).toBeNull();
  });
});
