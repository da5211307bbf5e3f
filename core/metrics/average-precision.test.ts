import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { averagePrecision } from './average-precision';

// Six rows worked out by hand. Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.2.
const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2];
const labels = [0, 0, 1, 1, 1, 0];

describe('averagePrecision', () => {
  test('six rows by hand: 1/3·1 + 1/3·2/3 + 1/3·3/4 = 29/36', () => {
    // thresholds 0.8 (P 1, R 1/3), 0.4 tie group (P 2/3, R 2/3), 0.35 (P 3/4, R 1).
    expect(averagePrecision(scores, labels)).toBeCloseTo(29 / 36, 15);
  });

  test('NaN without positives; 1 for a perfect ranking', () => {
    expect(averagePrecision([0.2, 0.4], [0, 0])).toBeNaN();
    expect(averagePrecision([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
  });

  test('equals the mean over positives of precision at their tie group on Pima BMI', () => {
    const {
      raw: { BMI: bmi },
      outcome,
    } = loadPimaColumns();
    // Independent form: each positive contributes the precision among rows scoring >= its score.
    let sum = 0;
    let positives = 0;
    for (let i = 0; i < bmi.length; i++) {
      if (outcome[i] !== 1) continue;
      positives++;
      let tp = 0;
      let called = 0;
      for (let j = 0; j < bmi.length; j++) {
        if (bmi[j] >= bmi[i]) {
          called++;
          tp += outcome[j];
        }
      }
      sum += tp / called;
    }
    expect(averagePrecision(bmi, outcome)).toBeCloseTo(sum / positives, 13);
  });
});
