import { describe, expect, test } from 'vitest';
import { Random } from '../../core/util/seeded-random';
import { fitPlatt } from './platt-calibration';

describe('Platt calibration', () => {
  test('recovers the slope and intercept of labels drawn from a logistic model', () => {
    const rnd = new Random(5);
    const margins: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const m = rnd.normal() * 2;
      margins.push(m);
      labels.push(rnd.next() < 1 / (1 + Math.exp(-(0.5 * m - 1))) ? 1 : 0);
    }
    const fit = fitPlatt(margins, labels);
    expect(fit.slope).toBeCloseTo(0.5, 1);
    expect(fit.intercept).toBeCloseTo(-1, 1);
  });

  test('shrinks inflated margins: scores from a 3x class weight come back to the base rate', () => {
    // Margins that say p = 0.6 for a group whose observed rate is 0.35.
    const margins = new Array(1000).fill(Math.log(0.6 / 0.4));
    const labels = margins.map((_, i) => (i < 350 ? 1 : 0));
    const { slope, intercept } = fitPlatt(margins, labels);
    const p = 1 / (1 + Math.exp(-(slope * margins[0] + intercept)));
    expect(p).toBeCloseTo(0.351, 2);
  });
});
