import { describe, expect, test } from 'vitest';
import { confusionAt } from './confusion';
import { fBeta } from './f-beta';
import { accuracyOf, precisionOf, recallOf } from './rates';

// Six rows worked out by hand. Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.2.
const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2];
const labels = [0, 0, 1, 1, 1, 0];

describe('confusion and rates', () => {
  test('confusionAt calls score >= threshold positive', () => {
    // >= 0.4: rows 1 (neg), 3 (pos), 4 (pos) are called positive.
    expect(confusionAt(scores, labels, 0.4)).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    expect(confusionAt(scores, labels, 0.9)).toEqual({ tp: 0, fp: 0, tn: 3, fn: 3 });
  });

  test('a NaN score is a negative call', () => {
    expect(confusionAt([Number.NaN, 0.9], [1, 1], 0.5)).toEqual({ tp: 1, fp: 0, tn: 0, fn: 1 });
  });

  test('labels other than 0/1 and length mismatches are rejected', () => {
    expect(() => confusionAt([0.5], [2], 0.5)).toThrow(/label at index 0 is 2/);
    expect(() => confusionAt([0.5, 0.1], [1], 0.5)).toThrow(/2 entries but labels have 1/);
  });

  test('recall, precision, accuracy and F-beta from counts', () => {
    const c = { tp: 2, fp: 1, tn: 2, fn: 1 };
    expect(recallOf(c)).toBeCloseTo(2 / 3, 15);
    expect(precisionOf(c)).toBeCloseTo(2 / 3, 15);
    expect(accuracyOf(c)).toBeCloseTo(4 / 6, 15);
    // F2 = 5·tp / (5·tp + 4·fn + fp) = 10 / 15
    expect(fBeta(c, 2)).toBeCloseTo(10 / 15, 15);
    // F1 with P = 0.5, R = 0.25: 2·0.125/0.75 = 1/3
    expect(fBeta({ tp: 1, fp: 1, tn: 0, fn: 3 }, 1)).toBeCloseTo(1 / 3, 15);
  });

  test('rates are 0, not NaN, when the denominator is 0', () => {
    const empty = { tp: 0, fp: 0, tn: 0, fn: 0 };
    expect(recallOf(empty)).toBe(0);
    expect(precisionOf(empty)).toBe(0);
    expect(accuracyOf(empty)).toBe(0);
    expect(fBeta(empty, 2)).toBe(0);
  });
});
