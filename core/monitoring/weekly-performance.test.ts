import { describe, expect, expectTypeOf, test } from 'vitest';
import type { AlertInput } from '../store/alert-repository';
import type { MatchedLabel } from '../store/label-repository';
import type { MonitoringAlert } from './alerts';
import { type LabelledPrediction, weeklyPerformance } from './weekly-performance';

function row(
  outcome: 0 | 1,
  recommendation: 0 | 1,
  score: number,
  age: number | null,
  date: string,
  modelVersion: string | null = 'v1.0.0',
): LabelledPrediction {
  return { outcome, recommendation, score, age, predictionDate: date, modelVersion };
}

describe('weeklyPerformance', () => {
  // Week 2026-W10 (Mon 2 March .. Sun 8 March), six rows worked out by hand:
  // outcomes 1,1,1,0,0,0 ; recommendations 1,1,0,1,0,0 -> TP 2, FN 1, FP 1, TN 2.
  const week = [
    row(1, 1, 0.9, 25, '2026-03-02'),
    row(1, 1, 0.7, 50, '2026-03-04T10:00:00Z'),
    row(1, 0, 0.2, 50, '2026-03-08'),
    row(0, 1, 0.6, 35, '2026-03-05'),
    row(0, 0, 0.3, 70, '2026-03-06'),
    row(0, 0, 0.1, null, '2026-03-07'),
  ];

  test('confusion counts, recall, precision, F2 and AUC of one week by hand', () => {
    const [w] = weeklyPerformance(week, { minimum: { labels: 1, positives: 1 } });
    expect(w).toMatchObject({
      week: '2026-W10',
      modelVersion: 'v1.0.0',
      n: 6,
      positives: 3,
      tp: 2,
      fn: 1,
      fp: 1,
      tn: 2,
    });
    expect(w.recall).toBeCloseTo(2 / 3, 15);
    expect(w.precision).toBeCloseTo(2 / 3, 15);
    expect(w.f2).toBeCloseTo(10 / 15, 15); // 5·2 / (5·2 + 4·1 + 1)
    // Positive scores 0.9, 0.7, 0.2 vs negatives 0.6, 0.3, 0.1: 3 + 3 + 1 = 7 of 9 pairs.
    expect(w.auc).toBeCloseTo(7 / 9, 15);
    expect(w.judged).toBe(true);
  });

  test('recall by Age_Group, with unknown ages counted apart', () => {
    const [w] = weeklyPerformance(week, { minimum: { labels: 1, positives: 1 } });
    expect(w.subgroupRecall).toEqual([
      { group: '<=30', n: 1, positives: 1, recall: 1 },
      { group: '31-45', n: 1, positives: 0, recall: null },
      { group: '46-60', n: 2, positives: 2, recall: 0.5 },
      { group: '>60', n: 1, positives: 0, recall: null },
      { group: 'unknown', n: 1, positives: 0, recall: null },
    ]);
  });

  test('a week below the minimum-labels rule is reported, not judged, and says why', () => {
    const [w] = weeklyPerformance(week);
    expect(w.judged).toBe(false);
    expect(w.status).toBe('too few labels to judge (6 labels, 3 positives; needs 30 and 10)');
    expect(w.recall).toBeCloseTo(2 / 3, 15); // still shown
  });

  test('rows group by ISO week and model version, sorted', () => {
    const rows = [
      row(1, 1, 0.8, 40, '2026-03-10', 'v1.1.0'),
      row(1, 0, 0.3, 40, '2026-03-09', 'v1.0.0'),
      ...week,
      row(0, 0, 0.1, 40, '2026-03-01', null),
    ];
    const table = weeklyPerformance(rows, { minimum: { labels: 1, positives: 0 } });
    expect(table.map((w) => [w.week, w.modelVersion, w.n])).toEqual([
      ['2026-W09', 'unknown', 1],
      ['2026-W10', 'v1.0.0', 6],
      ['2026-W11', 'v1.0.0', 1],
      ['2026-W11', 'v1.1.0', 1],
    ]);
  });

  test("each row carries its model version's validation estimate when given", () => {
    const estimate = { recall: 0.86, precision: 0.6, f2: 0.79, auc: 0.84 };
    const [w] = weeklyPerformance(week, { validationEstimates: { 'v1.0.0': estimate } });
    expect(w.validationEstimate).toEqual(estimate);
    expect(weeklyPerformance(week)[0].validationEstimate).toBeNull();
  });

  test('undefined rates are null, not 0: no positives, no recommendations, one class', () => {
    const [w] = weeklyPerformance([row(0, 0, 0.2, 30, '2026-03-02'), row(0, 0, 0.1, 30, '2026-03-03')]);
    expect(w.recall).toBeNull();
    expect(w.precision).toBeNull();
    expect(w.f2).toBeNull();
    expect(w.auc).toBeNull();
  });
});

describe('store wiring (types)', () => {
  test("the store's matched labels feed weeklyPerformance and alerts can be raised as they are", () => {
    expectTypeOf<MatchedLabel>().toExtend<LabelledPrediction>();
    expectTypeOf<MonitoringAlert>().toExtend<AlertInput>();
  });
});
