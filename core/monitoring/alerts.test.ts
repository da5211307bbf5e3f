import { describe, expect, test } from 'vitest';
import { weekOf } from '../testing/weekly-fixtures';
import { driftAlerts, recallAlerts } from './alerts';
import type { WeeklyPerformance } from './weekly-performance';

function week(w: string, recall: number | null, judged = true, modelVersion = 'v1.0.0'): WeeklyPerformance {
  if (judged) return weekOf(w, recall, { modelVersion });
  return weekOf(w, recall, { modelVersion, n: 5, positives: 2, judged, status: 'too few labels to judge' });
}

describe('recall alerts', () => {
  test('two consecutive judged weeks below 0.80 raise one alert, on the second week', () => {
    const alerts = recallAlerts([week('2026-W01', 0.9), week('2026-W02', 0.79), week('2026-W03', 0.7)]);
    expect(alerts.map((a) => [a.kind, a.week, a.modelVersion])).toEqual([
      ['recall-below-target', '2026-W03', 'v1.0.0'],
    ]);
    expect(alerts[0].message).toBe(
      'Recall of model v1.0.0 below 0.8 for 2 consecutive judged weeks (2026-W02: 0.790, 2026-W03: 0.700)',
    );
  });

  test('a single low week, or low weeks separated by a good one, raise nothing; exactly 0.80 is not below', () => {
    expect(recallAlerts([week('2026-W01', 0.7), week('2026-W02', 0.85), week('2026-W03', 0.7)])).toEqual([]);
    expect(recallAlerts([week('2026-W01', 0.8), week('2026-W02', 0.8)])).toEqual([]);
  });

  test('a week with too few labels neither raises nor breaks a run', () => {
    const weeks = [week('2026-W01', 0.7), week('2026-W02', 0.1, false), week('2026-W03', 0.75)];
    expect(recallAlerts(weeks).map((a) => a.week)).toEqual(['2026-W03']);
    expect(recallAlerts([week('2026-W01', 0.1, false), week('2026-W02', 0.1, false)])).toEqual([]);
  });

  test('every further low week raises its own alert; model versions are judged separately', () => {
    const weeks = [
      week('2026-W01', 0.7),
      week('2026-W01', 0.9, true, 'v1.1.0'),
      week('2026-W02', 0.7, true, 'v1.1.0'),
      week('2026-W02', 0.7),
      week('2026-W03', 0.6),
    ];
    expect(recallAlerts(weeks).map((a) => [a.week, a.modelVersion])).toEqual([
      ['2026-W02', 'v1.0.0'],
      ['2026-W03', 'v1.0.0'],
    ]);
  });

  test('target and run length are configurable', () => {
    const weeks = [week('2026-W01', 0.84), week('2026-W02', 0.84), week('2026-W03', 0.84)];
    expect(recallAlerts(weeks, { recallBelow: 0.85, consecutiveWeeks: 3 }).map((a) => a.week)).toEqual(['2026-W03']);
  });
});

describe('drift alerts', () => {
  test('one alert per batch with a dataset-drift verdict, naming the drifted features', () => {
    const verdict = (drifted: boolean, count: number) => ({
      featureCount: 11,
      driftedCount: count,
      share: count / 11,
      shareThreshold: 0.5,
      countThreshold: 3,
      shareRule: count / 11 >= 0.5,
      countRule: count >= 3,
      rule: 'either' as const,
      drifted,
    });
    const alerts = driftAlerts([
      {
        batchId: 7,
        date: '2026-03-04',
        modelVersion: 'v1.0.0',
        report: { datasetDrift: verdict(false, 1), driftedFeatures: ['BMI'] },
      },
      {
        batchId: 8,
        date: '2026-03-11',
        modelVersion: 'v1.0.0',
        report: { datasetDrift: verdict(true, 3), driftedFeatures: ['Glucose', 'BMI', 'Age'] },
      },
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'dataset-drift', batchId: 8, week: '2026-W11' });
    expect(alerts[0].message).toBe('Data drift in batch 8: 3 of 11 features drifted (Glucose, BMI, Age)');
  });
});
