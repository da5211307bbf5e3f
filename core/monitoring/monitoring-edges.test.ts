import { describe, expect, test } from 'vitest';
import { weekOf } from '../testing/weekly-fixtures';
import { recallAlerts } from './alerts';
import { type LabelledPrediction, type WeeklyPerformance, weeklyPerformance } from './weekly-performance';

/** `n` labelled rows in the ISO week of `date`, `positives` of them with outcome 1, all recommended. */
function rows(n: number, positives: number, date: string, modelVersion = 'v1.0.0'): LabelledPrediction[] {
  return Array.from({ length: n }, (_, i) => ({
    outcome: i < positives ? 1 : 0,
    recommendation: 1,
    score: i < positives ? 0.8 : 0.2,
    age: 40,
    modelVersion,
    predictionDate: date,
  }));
}

describe('minimum-labels rule', () => {
  const minimum = { labels: 30, positives: 10 };

  test.each([
    [30, 10, true],
    [29, 10, false], // one label short
    [30, 9, false], // one positive short
    [200, 9, false], // many labels cannot make up for too few positives
    [31, 11, true],
  ])('%i labels with %i positives: judged %s', (n, positives, judged) => {
    const [week] = weeklyPerformance(rows(n, positives, '2026-03-04'), { minimum });
    expect(week.judged).toBe(judged);
    expect(week.status).toBe(
      judged
        ? 'judged'
        : `too few labels to judge (${n} labels, ${positives} positives; needs ${minimum.labels} and ${minimum.positives})`,
    );
  });

  test('each week is judged on its own rows, and the configured minimum is used', () => {
    const weeks = weeklyPerformance([...rows(12, 4, '2026-03-02'), ...rows(3, 1, '2026-03-09')], {
      minimum: { labels: 10, positives: 3 },
    });
    expect(weeks.map((w) => [w.week, w.n, w.judged])).toEqual([
      ['2026-W10', 12, true],
      ['2026-W11', 3, false],
    ]);
  });

  test.each([2, -1, 0.5, Number.NaN])('an outcome of %s is refused', (outcome) => {
    const bad = { ...rows(1, 1, '2026-03-04')[0], outcome: outcome as 0 | 1 };
    expect(() => weeklyPerformance([bad])).toThrow(/outcome must be 0 or 1/);
  });
});

function judgedWeek(week: string, recall: number, modelVersion = 'v1.0.0'): WeeklyPerformance {
  const tp = Math.round(recall * 40);
  return weekOf(week, recall, { modelVersion, tp, fn: 40 - tp, tn: 60 });
}

describe('recall alerts on weeks in any order', () => {
  // W01 low, W02 good, W03 low, W04 low: only W03-W04 are two low weeks running.
  const chronological = [
    judgedWeek('2026-W01', 0.6),
    judgedWeek('2026-W02', 0.9),
    judgedWeek('2026-W03', 0.7),
    judgedWeek('2026-W04', 0.75),
  ];

  test.each([
    ['chronological', [0, 1, 2, 3]],
    ['reversed', [3, 2, 1, 0]],
    ['shuffled', [2, 0, 3, 1]],
    ['low weeks first', [0, 2, 3, 1]],
  ])('%s input raises the same single alert on W04', (_order, permutation) => {
    const alerts = recallAlerts(permutation.map((i) => chronological[i]));
    expect(alerts.map((a) => a.week)).toEqual(['2026-W04']);
    expect(alerts[0].details.weeks).toEqual([
      { week: '2026-W03', recall: 0.7, n: 100, positives: 40, fn: 12 },
      { week: '2026-W04', recall: 0.75, n: 100, positives: 40, fn: 10 },
    ]);
  });

  test('alerts of several model versions come out ordered by week', () => {
    const weeks = [
      judgedWeek('2026-W08', 0.5, 'v2'),
      judgedWeek('2026-W07', 0.5, 'v2'),
      judgedWeek('2026-W03', 0.5, 'v1'),
      judgedWeek('2026-W02', 0.5, 'v1'),
      judgedWeek('2026-W01', 0.5, 'v1'),
    ];
    expect(recallAlerts(weeks).map((a) => [a.modelVersion, a.week])).toEqual([
      ['v1', '2026-W02'],
      ['v1', '2026-W03'],
      ['v2', '2026-W08'],
    ]);
  });

  test('alerts of one week keep the order in which their model versions first appear (a stable order)', () => {
    const weeks = [
      judgedWeek('2026-W01', 0.5, 'v2'),
      judgedWeek('2026-W01', 0.5, 'v1'),
      judgedWeek('2026-W02', 0.5, 'v2'),
      judgedWeek('2026-W02', 0.5, 'v1'),
    ];
    expect(recallAlerts(weeks).map((a) => [a.modelVersion, a.week])).toEqual([
      ['v2', '2026-W02'],
      ['v1', '2026-W02'],
    ]);
  });
});
