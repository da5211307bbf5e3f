import { describe, expect, test } from 'vitest';
import { weeklyPerformance } from './weekly-performance';
import { weeklyTableLines } from './weekly-table-text';

describe('weekly table text', () => {
  test('a header, then per week the realised numbers, the validation estimate, the status and Age_Group recall', () => {
    const rows = weeklyPerformance(
      [
        { outcome: 1, recommendation: 1, score: 0.9, age: 25, predictionDate: '2026-03-02', modelVersion: 'v1.0.0' },
        { outcome: 1, recommendation: 0, score: 0.2, age: 50, predictionDate: '2026-03-03', modelVersion: 'v1.0.0' },
        { outcome: 0, recommendation: 1, score: 0.6, age: 35, predictionDate: '2026-03-04', modelVersion: 'v1.0.0' },
      ],
      { validationEstimates: { 'v1.0.0': { recall: 0.86, precision: 0.6, f2: 0.79, auc: 0.84 } } },
    );
    const lines = weeklyTableLines(rows);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^week +model +n +pos +recall +prec +F2 +AUC +FN +FP +validation R\/P\/F2\/AUC +status$/);
    expect(lines[1]).toMatch(
      /^2026-W10 +v1\.0\.0 +3 +2 +0\.500 +0\.500 +0\.500 +0\.500 +1 +1 +0\.860\/0\.600\/0\.790\/0\.840 +too few labels to judge/,
    );
    expect(lines[2]).toBe(
      '                    recall by Age_Group: <=30 1.000 (1/1), 31-45 n/a (0/1), 46-60 0.000 (1/1)',
    );
  });
});
