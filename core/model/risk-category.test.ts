import { describe, expect, test } from 'vitest';
import { categorizeRisk, DEFAULT_RISK_CUTS } from './risk-category';

describe('risk categories', () => {
  test('reference cuts: Low below 0.35, Medium from 0.35, High from 0.60', () => {
    const at = (s: number) => categorizeRisk(s, 0.459, DEFAULT_RISK_CUTS);
    expect([0, 0.349, 0.35, 0.599, 0.6, 1].map(at)).toEqual(['Low', 'Low', 'Medium', 'Medium', 'High', 'High']);
  });

  test('a recommended patient is never Low: Medium starts at a threshold below the Medium cut', () => {
    const threshold = 0.28;
    expect(categorizeRisk(0.28, threshold, DEFAULT_RISK_CUTS)).toBe('Medium');
    expect(categorizeRisk(0.2799, threshold, DEFAULT_RISK_CUTS)).toBe('Low');
    for (let s = 0; s <= 1; s += 0.001) {
      if (s >= threshold) expect(categorizeRisk(s, threshold, DEFAULT_RISK_CUTS)).not.toBe('Low');
    }
  });

  test('cuts out of order are refused', () => {
    expect(() => categorizeRisk(0.5, 0.4, { medium: 0.7, high: 0.6 })).toThrow(/out of order/);
  });
});

describe('risk category edges', () => {
  test('a NaN score is refused rather than called Low', () => {
    expect(() => categorizeRisk(Number.NaN, 0.4, DEFAULT_RISK_CUTS)).toThrow(/NaN/);
  });

  test('Medium equal to High leaves no Medium band above the threshold', () => {
    const cuts = { medium: 0.5, high: 0.5 };
    expect(categorizeRisk(0.5, 0.7, cuts)).toBe('High');
    expect(categorizeRisk(0.4999, 0.7, cuts)).toBe('Low');
    expect(categorizeRisk(0.45, 0.4, cuts)).toBe('Medium');
  });
});
