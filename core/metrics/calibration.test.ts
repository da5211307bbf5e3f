import { describe, expect, test } from 'vitest';
import { brierScore } from './brier-score';
import { reliabilityTable } from './reliability-table';

describe('calibration', () => {
  test('brierScore by hand', () => {
    // (0.1-0)² + (0.4-0)² + (0.35-1)² + (0.8-1)² + (0.4-1)² + (0.2-0)² = 0.01+0.16+0.4225+0.04+0.36+0.04
    expect(brierScore([0.1, 0.4, 0.35, 0.8, 0.4, 0.2], [0, 0, 1, 1, 1, 0])).toBeCloseTo(1.0325 / 6, 15);
  });

  test('reliabilityTable bins [lower, upper), keeps 1 in the last bin, drops empty bins', () => {
    const table = reliabilityTable([0.05, 0.15, 0.12, 0.5, 1], [0, 1, 0, 1, 1], 10);
    expect(table.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.1, 1],
      [0.1, 0.2, 2],
      [0.5, 0.6, 1],
      [0.9, 1, 1],
    ]);
    expect(table[1].meanPredicted).toBeCloseTo(0.135, 15);
    expect(table[1].observedRate).toBe(0.5);
  });

  test('reliabilityTable rejects probabilities outside [0, 1]', () => {
    expect(() => reliabilityTable([1.2], [1])).toThrow(/index 0 is 1.2/);
  });
});
