import { describe, expect, test } from 'vitest';
import { ksTwoSampleExactSf } from './ks-exact-two-sample';
import { ksTwoSample } from './ks-test';

// scipy's ks_2samp keeps an exact p-value only when it lies in [0, 1]; otherwise it warns and uses the asymptotic
// distribution. These cases sit on both sides of that check.
describe('KS exact p-value outside [0, 1]', () => {
  test('5 against 5 values at D = 1/5: the exact sum rounds above 1, so the asymptotic p-value is used', () => {
    // Exact: P(D >= 1/5) is 1 in theory; the alternating sum lands one ulp above it.
    expect(ksTwoSampleExactSf(5, 5, 1)).toBeGreaterThan(1);
    // The ECDFs differ only at 5 (reference 5/5, current 4/5): D = 1/5.
    const result = ksTwoSample([1, 2, 3, 4, 5], [1, 2, 3, 4, 6]);
    expect(result.mode).toBe('asymp');
    expect(result.statistic).toBeCloseTo(0.2, 15);
    // Asymptotic: kstwo with n = round(5·5 / 10) = 2, whose statistic is never below 1/(2n) = 1/4, so sf(1/5) = 1.
    expect(result.pValue).toBe(1);
    expect([result.referenceCount, result.currentCount]).toEqual([5, 5]);
  });

  test('an exact p-value of exactly 0 is a valid probability and stays exact', () => {
    // Two disjoint samples of 10,000: D = 1 and P(D >= 1) = 2 / C(20000, 10000), which underflows to 0.
    const reference = Float64Array.from({ length: 10000 }, (_, i) => i);
    const current = Float64Array.from({ length: 10000 }, (_, i) => 10000 + i);
    expect(ksTwoSampleExactSf(10000, 10000, 10000)).toBe(0);
    const result = ksTwoSample(reference, current);
    expect(result).toEqual({ statistic: 1, pValue: 0, mode: 'exact', referenceCount: 10000, currentCount: 10000 });
  });

  test('identical samples have an exact p-value of exactly 1, which is kept', () => {
    expect(ksTwoSample([3, 1, 2], [2, 3, 1])).toEqual({
      statistic: 0,
      pValue: 1,
      mode: 'exact',
      referenceCount: 3,
      currentCount: 3,
    });
  });
});
