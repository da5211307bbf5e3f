import { describe, expect, test } from 'vitest';
import { Random } from '../../core/util/seeded-random';
import { bootstrapThreshold, recallConstrainedThreshold } from './threshold';

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

describe('bootstrap threshold', () => {
  // Seeded scores: positives ~ N(1, 1), negatives ~ N(0, 1).
  const random = new Random(11);
  const n = 3000;
  const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const scores = labels.map((y) => y + random.normal());

  test('is deterministic for a seed and is one of the scores', () => {
    const a = bootstrapThreshold(scores, labels, 0.85, 51, 5);
    expect(bootstrapThreshold(scores, labels, 0.85, 51, 5)).toBe(a);
    expect(scores).toContain(a);
  });

  test('on a large sample it lands next to the exact threshold, whose recall is the target', () => {
    const exact = recallConstrainedThreshold(scores, labels, 0.85);
    const boot = bootstrapThreshold(scores, labels, 0.85, 101, 5);
    // Recall of the bootstrap threshold on the full sample stays within 2 points of the target.
    const recallAt = (t: number) => {
      let tp = 0;
      for (let i = 0; i < n; i++) if (labels[i] === 1 && scores[i] >= t) tp++;
      return tp / (n / 3);
    };
    expect(Math.abs(recallAt(boot) - recallAt(exact.threshold))).toBeLessThan(0.02);
  });

  test('refuses data without positives', () => {
    expect(() => bootstrapThreshold([0.1, 0.2], [0, 0], 0.85, 5, 1)).toThrow(/positive/);
  });
});
