import { describe, expect, test } from 'vitest';
import { meanAbsShap, sampleRowIndices, shapSummary } from './global-importance';

// 4 rows x (2 features + expected value).
const contributions = Float64Array.from([0.5, -1, 9, -0.5, 2, 9, 1.5, 0, 9, -1.5, -1, 9]);
const names = ['A', 'B'];

describe('global importance', () => {
  test('mean |SHAP| per feature, most important first, ignoring the expected value', () => {
    // A: (0.5 + 0.5 + 1.5 + 1.5) / 4 = 1; B: (1 + 2 + 0 + 1) / 4 = 1 -> tie, kept in feature order.
    expect(meanAbsShap(contributions, 4, names)).toEqual([
      { feature: 'A', meanAbsShap: 1, rank: 1 },
      { feature: 'B', meanAbsShap: 1, rank: 2 },
    ]);
    expect(meanAbsShap(contributions, 2, names)).toEqual([
      { feature: 'B', meanAbsShap: 1.5, rank: 1 },
      { feature: 'A', meanAbsShap: 0.5, rank: 2 },
    ]);
  });

  test('a buffer too short for the rows is a clear error', () => {
    expect(() => meanAbsShap(contributions, 5, names)).toThrow('contributions hold 12 values, need 5 x 3');
  });
});

describe('SHAP summary data', () => {
  test('evenly spaced rows, deterministic, never more than asked', () => {
    expect(Array.from(sampleRowIndices(10, 4))).toEqual([0, 2, 5, 7]);
    expect(Array.from(sampleRowIndices(3, 10))).toEqual([0, 1, 2]);
  });

  test('each feature gets (value, SHAP) pairs of the sampled rows; missing values become null', () => {
    const values = [Float64Array.from([10, 20, Number.NaN, 40]), Float64Array.from([1, 2, 3, 4])];
    const summary = shapSummary(contributions, 4, names, values, 2);
    expect(summary).toEqual([
      {
        feature: 'A',
        meanAbsShap: 1,
        rank: 1,
        points: [
          [10, 0.5],
          [null, 1.5],
        ],
      },
      {
        feature: 'B',
        meanAbsShap: 1,
        rank: 2,
        points: [
          [1, -1],
          [3, 0],
        ],
      },
    ]);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
