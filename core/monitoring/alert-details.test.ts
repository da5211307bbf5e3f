import { describe, expect, test } from 'vitest';
import { weekOf } from '../testing/weekly-fixtures';
import { driftAlerts, evaluateAlerts, recallAlerts } from './alerts';

// What an alert stores is what the admin's alert list and the audit trail show later: the whole record matters.
const verdict = (drifted: boolean) => ({
  featureCount: 11,
  driftedCount: drifted ? 4 : 1,
  share: drifted ? 4 / 11 : 1 / 11,
  shareThreshold: 0.5,
  countThreshold: 3,
  shareRule: false,
  countRule: drifted,
  rule: 'either' as const,
  drifted,
});

const batch = (batchId: number, date: string, drifted = true) => ({
  batchId,
  date,
  modelVersion: 'v1.0.0',
  report: { datasetDrift: verdict(drifted), driftedFeatures: drifted ? ['Glucose', 'BMI', 'Age', 'Insulin'] : ['BMI'] },
});

describe('alert records', () => {
  test('a recall alert carries the rule and every week of the run', () => {
    const weeks = [weekOf('2026-W10', 0.7, { fn: 12 }), weekOf('2026-W11', 0.65, { fn: 14, n: 90, positives: 40 })];
    expect(recallAlerts(weeks, { recallBelow: 0.75, consecutiveWeeks: 2 })).toEqual([
      {
        kind: 'recall-below-target',
        week: '2026-W11',
        modelVersion: 'v1.0.0',
        batchId: null,
        message: 'Recall of model v1.0.0 below 0.75 for 2 consecutive judged weeks (2026-W10: 0.700, 2026-W11: 0.650)',
        details: {
          recallBelow: 0.75,
          consecutiveWeeks: 2,
          weeks: [
            { week: '2026-W10', recall: 0.7, n: 100, positives: 40, fn: 12 },
            { week: '2026-W11', recall: 0.65, n: 90, positives: 40, fn: 14 },
          ],
        },
      },
    ]);
  });

  test('a judged week without a recall (no positives) breaks a run rather than extending it', () => {
    const weeks = [weekOf('2026-W10', 0.5), weekOf('2026-W11', null), weekOf('2026-W12', 0.5)];
    expect(recallAlerts(weeks)).toEqual([]);
  });

  test('a drift alert carries the batch, its week and the verdict behind it', () => {
    expect(driftAlerts([batch(3, '2026-03-02', false), batch(4, '2026-03-04')])).toEqual([
      {
        kind: 'dataset-drift',
        week: '2026-W10',
        modelVersion: 'v1.0.0',
        batchId: 4,
        message: 'Data drift in batch 4: 4 of 11 features drifted (Glucose, BMI, Age, Insulin)',
        details: {
          driftedFeatures: ['Glucose', 'BMI', 'Age', 'Insulin'],
          share: 4 / 11,
          shareRule: false,
          countRule: true,
          rule: 'either',
        },
      },
    ]);
  });

  test('both kinds together come out ordered by week, whichever kind came first', () => {
    const alerts = evaluateAlerts({
      weeks: [weekOf('2026-W11', 0.5), weekOf('2026-W12', 0.5), weekOf('2026-W13', 0.5)],
      batches: [batch(9, '2026-03-30'), batch(5, '2026-03-02'), batch(7, '2026-03-16')],
      recallRule: { recallBelow: 0.8, consecutiveWeeks: 2 },
    });
    expect(alerts.map((a) => `${a.week} ${a.kind}${a.batchId === null ? '' : ` ${a.batchId}`}`)).toEqual([
      '2026-W10 dataset-drift 5',
      '2026-W12 recall-below-target',
      '2026-W12 dataset-drift 7',
      '2026-W13 recall-below-target',
      '2026-W14 dataset-drift 9',
    ]);
    // Without a rule, the default (below 0.80 for 2 weeks) applies.
    expect(evaluateAlerts({ weeks: [weekOf('2026-W11', 0.79), weekOf('2026-W12', 0.79)], batches: [] })).toHaveLength(
      1,
    );
  });
});
