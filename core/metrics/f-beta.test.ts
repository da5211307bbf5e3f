import { describe, expect, test } from 'vitest';
import type { Confusion } from './confusion';
import { fBeta } from './f-beta';
import { precisionOf, recallOf } from './rates';

/** F-beta from its textbook definition on the rates, an independent oracle for the count form. */
function fBetaFromRates(c: Confusion, beta: number): number {
  const p = precisionOf(c);
  const r = recallOf(c);
  return p + r === 0 ? 0 : ((1 + beta ** 2) * p * r) / (beta ** 2 * p + r);
}

describe('fBeta', () => {
  // Precision differs from recall in each case, so F1 and F2 disagree and the beta weighting is visible.
  const cases: Confusion[] = [
    { tp: 8, fp: 12, tn: 70, fn: 2 }, // recall 0.8, precision 0.4
    { tp: 3, fp: 1, tn: 50, fn: 9 }, // recall 0.25, precision 0.75
    { tp: 40, fp: 25, tn: 300, fn: 5 },
  ];

  test.each(cases)('F2 weighs recall above precision on %o', (c) => {
    const f1 = fBeta(c, 1);
    const f2 = fBeta(c, 2);
    expect(f1).not.toBeCloseTo(f2, 6);
    expect(f2).toBeCloseTo(fBetaFromRates(c, 2), 12);
    expect(f1).toBeCloseTo(fBetaFromRates(c, 1), 12);
    expect(fBeta(c, 0.5)).toBeCloseTo(fBetaFromRates(c, 0.5), 12);
    // Recall above precision: F2 is above F1; recall below precision: below.
    if (recallOf(c) > precisionOf(c)) expect(f2).toBeGreaterThan(f1);
    else expect(f2).toBeLessThan(f1);
  });

  test('F2 of recall 0.8 and precision 0.4 is 2/3 (5·0.32 / (4·0.4 + 0.8))', () => {
    expect(fBeta({ tp: 8, fp: 12, tn: 70, fn: 2 }, 2)).toBeCloseTo(2 / 3, 12);
  });

  test('no positive call and no positive label gives 0, not NaN', () => {
    expect(fBeta({ tp: 0, fp: 0, tn: 10, fn: 0 }, 2)).toBe(0);
  });

  test.each([0, -1, Number.NaN])('beta %s is refused', (beta) => {
    expect(() => fBeta({ tp: 1, fp: 1, tn: 1, fn: 1 }, beta)).toThrow(/beta must be > 0/);
  });
});
