import { describe, expect, test } from 'vitest';
import { outputDrift } from '../drift/output-drift';
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

describe('important-feature and output drift alerts', () => {
  // An all-Low batch of 200 against a reference with a third High (300 rows), tested by the real output-drift check.
  const reference = Float64Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0.8 : 0.2));
  const output = outputDrift(reference, new Float64Array(200).fill(0.2), 0.6);
  const importance = {
    rule: { topN: 3, minShare: 0.2 },
    important: [
      { feature: 'Glucose', share: 0.412, rank: 1, drifted: true },
      { feature: 'BMI', share: 0.2, rank: 2, drifted: false },
      { feature: 'Age', share: 0.15, rank: 3, drifted: true },
    ],
    driftedImportant: ['Glucose', 'Age'],
    drifted: true,
  };

  test('each verdict raises its own alert, naming only the drifted important features and both High shares', () => {
    expect(output.drifted).toBe(true);
    const base = batch(7, '2026-03-16', false);
    const alerts = driftAlerts([{ ...base, report: { ...base.report, importance, output } }]);
    expect(alerts.map((a) => [a.kind, a.week, a.batchId])).toEqual([
      ['important-feature-drift', '2026-W12', 7],
      ['output-drift', '2026-W12', 7],
    ]);
    expect(alerts[0].message).toBe(
      'Drift in batch 7 in features the model relies on most: Glucose (41.2 % of its weight), Age (15.0 % of its weight). ' +
        'Check the file (units, source, device) before acting on its scores.',
    );
    expect(alerts[0].details).toEqual({
      features: [importance.important[0], importance.important[2]],
      rule: importance.rule,
    });
    expect(alerts[1].message).toBe(
      "The model's output shifted in batch 7: 0.0 % High against 33.3 % in the reference (p = < 0.001); score distribution " +
        `${output.score.drifted ? 'drifted' : 'not drifted'} (${output.score.methodLabel} ${
          output.score.score !== null && output.score.score < 0.001 ? '< 0.001' : output.score.score?.toFixed(3)
        }).`,
    );
    // The stored score keeps what the alert list shows, not the histograms.
    const kept = ['method', 'statistic', 'score', 'threshold', 'drifted'] as const;
    const score = Object.fromEntries(kept.map((key) => [key, output.score[key]]));
    expect(alerts[1].details).toEqual({ highShare: output.highShare, score });
  });

  test('verdicts that did not drift raise nothing; a p-value of at least 0.001 is shown to three places', () => {
    const base = batch(8, '2026-03-16', false);
    const calm = driftAlerts([
      {
        ...base,
        report: {
          ...base.report,
          importance: { ...importance, drifted: false },
          output: { ...output, drifted: false },
        },
      },
    ]);
    expect(calm).toEqual([]);
    const moderate = { ...output, highShare: { ...output.highShare, pValue: 0.0123 } };
    const [alert] = driftAlerts([{ ...base, report: { ...base.report, output: moderate } }]);
    expect(alert.message).toContain('(p = 0.012)');
    // Exactly 0.001 is shown as a number; a score distribution that did not drift says so.
    const atEdge = {
      ...output,
      highShare: { ...output.highShare, pValue: 0.001 },
      score: { ...output.score, drifted: false },
    };
    const [edge] = driftAlerts([{ ...base, report: { ...base.report, output: atEdge } }]);
    expect(edge.message).toContain('(p = 0.001); score distribution not drifted (');
    // A score distribution that could not be tested has no score to show.
    const untested = { ...output, score: { ...output.score, score: null } };
    const [withoutScore] = driftAlerts([{ ...base, report: { ...base.report, output: untested } }]);
    expect(withoutScore.message).toMatch(/ n\/a\)\.$/);
  });
});
