import { describe, expect, test } from 'vitest';
import { averagePrecision } from './average-precision';
import { brierScore } from './brier-score';
import { confusionAt } from './confusion';
import { reliabilityTable } from './reliability-table';
import { rocAuc } from './roc-auc';

// A label other than 0 or 1 is a caller's bug (an unmapped outcome, a count); every metric refuses it by index.
const scores = [0.1, 0.4, 0.35, 0.8];

describe.each([
  ['rocAuc', (l: number[]) => rocAuc(scores, l)],
  ['averagePrecision', (l: number[]) => averagePrecision(scores, l)],
  ['brierScore', (l: number[]) => brierScore(scores, l)],
  ['reliabilityTable', (l: number[]) => reliabilityTable(scores, l)],
  ['confusionAt', (l: number[]) => confusionAt(scores, l, 0.5)],
])('%s', (_name, metric) => {
  test.each([
    [[0, 1, 2, 1], 2],
    [[0, 1, -1, 1], 2],
    [[0.5, 1, 0, 1], 0],
    [[0, 1, 0, Number.NaN], 3],
  ])('refuses labels %o, naming index %i', (labels, index) => {
    expect(() => metric(labels)).toThrow(new RegExp(`index ${index} is .*labels must be 0 or 1`));
  });

  test('accepts 0/1 labels', () => {
    expect(() => metric([0, 1, 0, 1])).not.toThrow();
  });

  test('refuses labels of another length', () => {
    expect(() => metric([0, 1, 0])).toThrow(/4 entries but labels have 3/);
  });
});

describe('averagePrecision keeps its lowest-scored row', () => {
  test('a positive scored lowest of all still adds its share of recall', () => {
    // Ranked high to low: 0.9 (+), 0.5 (-), 0.1 (+). AP = 0.5·1 + 0.5·(2/3).
    expect(averagePrecision([0.1, 0.9, 0.5], [1, 1, 0])).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  test('a single positive that is the only row gives 1', () => {
    expect(averagePrecision([0.3], [1])).toBe(1);
  });
});
