import type { MonitoringSummary } from '@contract/admin-outputs';
import type { WeeklyPerformance } from '@contract/monitoring-types';
import { describe, expect, test } from 'vitest';
import { aggregateSubgroups, isBelowAlertLine } from './aggregate-subgroups';
import { reasonCounts } from './reason-counts';

function week(subgroups: WeeklyPerformance['subgroupRecall']): WeeklyPerformance {
  return {
    week: '2026-W49',
    modelVersion: 'v1.0.0',
    n: 0,
    positives: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    recall: null,
    precision: null,
    f2: null,
    auc: null,
    judged: true,
    status: '',
    subgroupRecall: subgroups,
    validationEstimate: null,
  };
}

describe('monitoring view helpers', () => {
  test('subgroup recall is pooled over weeks by recovered positives, and a group under the alert line is flagged', () => {
    const summary = {
      weeks: [
        week([
          { group: '<=30', n: 40, positives: 10, recall: 0.6 },
          { group: '31-45', n: 30, positives: 8, recall: 1 },
        ]),
        week([
          { group: '<=30', n: 30, positives: 2, recall: 0.5 },
          { group: '31-45', n: 20, positives: 0, recall: null },
        ]),
      ],
    } as unknown as MonitoringSummary;
    const groups = aggregateSubgroups(summary);
    // <=30: 6 + 1 of 12 positives found; 31-45: 8 of 8.
    expect(groups).toEqual([
      { group: '<=30', n: 70, positives: 12, recall: 7 / 12 },
      { group: '31-45', n: 50, positives: 8, recall: 1 },
    ]);
    expect(groups.map((g) => isBelowAlertLine(g.recall, 0.8))).toEqual([true, false]);
    // At the line is not below it; no positives is not below it either.
    expect(isBelowAlertLine(0.8, 0.8)).toBe(false);
    expect(isBelowAlertLine(null, 0.8)).toBe(false);
  });

  test('unmatched label reasons are summarised with their counts, most frequent first', () => {
    const reasons = ['no prediction', 'before the first prediction', 'no prediction', 'no prediction'];
    expect(reasonCounts(reasons)).toBe('3 × no prediction; 1 × before the first prediction');
    expect(reasonCounts([])).toBe('');
  });
});
