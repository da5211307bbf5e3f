import { describe, expect, test } from 'vitest';
import { sortedFinite } from '../table/sort-float64';
import { mean, quantileSorted, sampleStd, skewness, summariseSorted } from './descriptive-stats';

describe('skewness (adjusted Fisher-Pearson, as pandas)', () => {
  test('of five values matches the hand computation', () => {
    // [1, 2, 3, 4, 10]: mean 4, deviations -3 -2 -1 0 6, m2 = 50/5 = 10, m3 = 180/5 = 36,
    // G1 = sqrt(5·4)/3 · 36 / 10^1.5 = 1.2·sqrt(2) (scipy.stats.skew(bias=False) agrees: 1.6970562748477143).
    expect(skewness([1, 2, 3, 4, 10])).toBeCloseTo(1.2 * Math.SQRT2, 14);
  });

  test('changes sign with the data', () => {
    expect(skewness([-1, -2, -3, -4, -10])).toBeCloseTo(-1.2 * Math.SQRT2, 14);
  });

  test('is 0 for a constant sample and null below three values, as pandas', () => {
    expect(skewness([5, 5, 5, 5])).toBe(0);
    expect(skewness([1, 2])).toBeNull();
  });
});

describe('moments and quantiles', () => {
  test('sample standard deviation uses n - 1', () => {
    // mean 5, squared deviations sum to 32, 32 / 7.
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(sampleStd([3])).toBeNull();
  });

  test('quartiles interpolate linearly between order statistics', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantileSorted(sorted, 0.25)).toBe(1.75);
    expect(quantileSorted(sorted, 0.5)).toBe(2.5);
    expect(quantileSorted(sorted, 0.75)).toBe(3.25);
    expect(quantileSorted([], 0.5)).toBeNull();
  });

  test('summary of an empty sample is all null, never NaN', () => {
    expect(summariseSorted(new Float64Array(0))).toEqual({
      n: 0,
      mean: null,
      std: null,
      min: null,
      q1: null,
      median: null,
      q3: null,
      max: null,
      skewness: null,
    });
  });

  test('sortedFinite drops NaN and sorts numerically', () => {
    expect([...sortedFinite([10, Number.NaN, 9, 100, 1])]).toEqual([1, 9, 10, 100]);
    expect(mean(sortedFinite([Number.NaN]))).toBeNull();
  });
});

describe('summariseSorted', () => {
  test('agrees with the single-statistic functions', () => {
    const values = [1, 2, 3, 4, 10];
    const summary = summariseSorted(Float64Array.from(values));
    expect(summary.mean).toBe(4);
    expect(summary.std).toBeCloseTo(sampleStd(values) as number, 14);
    expect(summary.skewness).toBeCloseTo(skewness(values) as number, 14);
    expect(summary).toMatchObject({ n: 5, min: 1, q1: 2, median: 3, q3: 4, max: 10 });
    expect(summariseSorted(Float64Array.of(7, 7, 7)).skewness).toBe(0);
    expect(summariseSorted(Float64Array.of(7, 8)).skewness).toBeNull();
  });
});
