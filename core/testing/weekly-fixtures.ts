import type { WeeklyPerformance } from '../api/monitoring-types';

/** One week of monitoring results for tests: a judged week of 100 labels with no counts, overridden as given. */
export function weekOf(
  week: string,
  recall: number | null,
  overrides: Partial<WeeklyPerformance> = {},
): WeeklyPerformance {
  return {
    week,
    modelVersion: 'v1.0.0',
    n: 100,
    positives: 40,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    recall,
    precision: null,
    f2: null,
    auc: null,
    judged: true,
    status: 'judged',
    subgroupRecall: [],
    validationEstimate: null,
    ...overrides,
  };
}
