import { describe, expect, test } from 'vitest';
import { recallConstrainedThreshold } from './threshold';

describe('recall-constrained threshold', () => {
  test('maximises precision among thresholds that keep recall >= the target', () => {
    // 4 positives. Thresholds: 0.9 -> R 0.25; 0.8 -> R 0.5, P 1; 0.7 -> R 0.5 P 0.67; 0.6 -> R 0.75 P 0.75;
    // 0.4 -> R 0.75 P 0.6; 0.3 -> R 1 P 0.67; 0.1 -> R 1 P 0.57.
    const scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.1];
    const labels = [1, 1, 0, 1, 0, 1, 0];
    const at75 = recallConstrainedThreshold(scores, labels, 0.75);
    expect(at75.threshold).toBe(0.6);
    expect(at75.precision).toBeCloseTo(0.75, 12);
    const at100 = recallConstrainedThreshold(scores, labels, 1);
    expect(at100.threshold).toBe(0.3);
    expect(at100.recall).toBe(1);
    expect(at100.confusion).toEqual({ tp: 4, fp: 2, tn: 1, fn: 0 });
  });

  test('tied scores are one candidate threshold', () => {
    const choice = recallConstrainedThreshold([0.5, 0.5, 0.5, 0.2], [1, 0, 1, 0], 0.5);
    expect(choice.threshold).toBe(0.5);
    expect(choice.confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
  });
});
