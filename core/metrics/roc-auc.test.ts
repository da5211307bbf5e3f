import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { rocAuc } from './roc-auc';

// Six rows worked out by hand. Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.2.
const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2];
const labels = [0, 0, 1, 1, 1, 0];

describe('rocAuc', () => {
  test('six rows by hand: 7.5 of 9 pairs won (tie 0.4 vs 0.4 counts one half)', () => {
    // 0.35 beats 0.1 and 0.2 (2); 0.8 beats all three (3); 0.4 beats 0.1, 0.2 and ties 0.4 (2.5).
    expect(rocAuc(scores, labels)).toBeCloseTo(7.5 / 9, 15);
  });

  test('all scores tied gives 0.5; perfect ordering 1; reversed 0', () => {
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  test('NaN with a single class', () => {
    expect(rocAuc([0.1, 0.9], [1, 1])).toBeNaN();
    expect(rocAuc([0.1, 0.9], [0, 0])).toBeNaN();
  });

  test('NaN scores are rejected', () => {
    expect(() => rocAuc([0.1, Number.NaN], [0, 1])).toThrow(/index 1 is NaN/);
  });

  test('equals the brute-force pair count on Pima Glucose (many ties)', () => {
    const {
      raw: { Glucose: glucose },
      outcome,
    } = loadPimaColumns();
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < glucose.length; i++) {
      if (outcome[i] !== 1) continue;
      for (let j = 0; j < glucose.length; j++) {
        if (outcome[j] !== 0) continue;
        pairs++;
        if (glucose[i] > glucose[j]) wins += 1;
        else if (glucose[i] === glucose[j]) wins += 0.5;
      }
    }
    expect(pairs).toBe(268 * 500);
    expect(rocAuc(glucose, outcome)).toBeCloseTo(wins / pairs, 14);
  });
});
