import { beforeAll, describe, expect, test } from 'vitest';
import { detectDrift } from '../drift/detect-drift';
import { driftColumnsOf } from '../drift/drift-columns';
import type { DriftReport } from '../drift/drift-report';
import { type PimaSetup, pimaSetup } from '../testing/pima-split';
import {
  type SimulatedWeek,
  scoreTable,
  simulateWeeks,
  thresholdForRecall,
  type WeekPlan,
} from '../testing/simulated-clinic';
import { evaluateAlerts } from './alerts';
import { estimatePerformance, fitCbpeReference } from './cbpe';
import { isoWeekOf } from './iso-week';
import { type WeeklyPerformance, weeklyPerformance } from './weekly-performance';

// Four simulated months of weekly batches (400 rows each) drawn from the Pima training rows:
//   weeks 1-4 normal; 5-8 feature drift (Glucose + 15, BMI x 1.1, Age + 10); 9-12 normal;
//   13-16 label degradation (a quarter of true negatives the model called negative turn out positive),
//   and in week 14 only 20 labels have arrived.
const PLANS: WeekPlan[] = [
  {},
  {},
  {},
  {},
  { drift: true },
  { drift: true },
  { drift: true },
  { drift: true },
  {},
  {},
  {},
  {},
  { degradeLabels: true },
  { degradeLabels: true, labelsArriving: 20 },
  { degradeLabels: true },
  { degradeLabels: true },
];
const DRIFT_WEEKS = [5, 6, 7, 8];
const DEGRADED_WEEKS = [13, 14, 15, 16];
const AFFECTED = ['Age', 'Age_Group', 'BMI', 'BMI_Category', 'Glucose', 'Glucose_BMI_Interaction'];

let pima: PimaSetup;
let threshold: number;
let weeks: SimulatedWeek[];
let reports: DriftReport[];
let table: WeeklyPerformance[];

beforeAll(async () => {
  pima = await pimaSetup();
  const outcome = pima.referenceTable.outcome;
  if (!outcome) throw new Error('reference rows carry outcomes');
  threshold = thresholdForRecall(scoreTable(pima, pima.referenceTable), outcome, 0.85);
  weeks = simulateWeeks(pima, PLANS, {
    rows: 400,
    threshold,
    startMonday: '2026-01-05',
    seed: 7,
    modelVersion: 'v1.0.0',
  });
  reports = weeks.map((w) => detectDrift(pima.reference, driftColumnsOf(pima.params, w.table)));
  table = weeklyPerformance(weeks.flatMap((w) => w.labelled));
});

describe('four simulated months', () => {
  test('every drift-injected batch flags exactly the affected features and dataset drift', () => {
    for (const w of DRIFT_WEEKS) {
      const report = reports[w - 1];
      expect([...report.driftedFeatures].sort()).toEqual(AFFECTED);
      expect(report.datasetDrift.drifted).toBe(true);
    }
  });

  test('no other batch reaches dataset drift; stray single-feature flags stay within the 5% test level', () => {
    let strayFlags = 0;
    let tests = 0;
    for (const w of weeks) {
      if (DRIFT_WEEKS.includes(w.week)) continue;
      const report = reports[w.week - 1];
      expect(report.datasetDrift.drifted).toBe(false);
      expect(report.datasetDrift.driftedCount).toBeLessThan(3);
      strayFlags += report.datasetDrift.driftedCount;
      tests += report.datasetDrift.featureCount;
    }
    expect(tests).toBe(12 * 11);
    expect(strayFlags).toBeLessThanOrEqual(Math.floor(0.05 * tests));
  });

  test('the week with 20 labels is reported as too few to judge', () => {
    const sparse = table.find((w) => w.week === isoWeekOf(weeks[13].date));
    expect(sparse?.n).toBe(20);
    expect(sparse?.judged).toBe(false);
    expect(sparse?.status).toMatch(/^too few labels to judge/);
    expect(table.filter((w) => !w.judged)).toHaveLength(1);
  });

  test('alerts: dataset drift for the four drifted batches, recall for the degraded month, nothing else', () => {
    const alerts = evaluateAlerts({
      weeks: table,
      batches: weeks.map((w, i) => ({ batchId: w.batchId, date: w.date, modelVersion: 'v1.0.0', report: reports[i] })),
    });
    const week = (n: number) => isoWeekOf(weeks[n - 1].date);
    expect(alerts.filter((a) => a.kind === 'dataset-drift').map((a) => a.batchId)).toEqual(
      DRIFT_WEEKS.map((n) => weeks[n - 1].batchId),
    );
    // Degraded judged weeks are 13, 15, 16 (14 is skipped): the run completes at 15 and continues at 16.
    const recall = alerts.filter((a) => a.kind === 'recall-below-target');
    expect(recall.map((a) => a.week)).toEqual([week(15), week(16)]);
    expect(recall[0].details.weeks).toHaveLength(2);
    expect(alerts).toHaveLength(DRIFT_WEEKS.length + 2);
    // The degraded weeks' realised recall is below target; every normal week's is not.
    for (const w of table) {
      const n = weeks.findIndex((s) => isoWeekOf(s.date) === w.week) + 1;
      if (!w.judged) continue;
      expect((w.recall ?? 1) < 0.8).toBe(DEGRADED_WEEKS.includes(n));
    }
  });

  test('CBPE estimates: realised recall inside the band while labels behave, below it once they degrade', () => {
    const outcome = pima.referenceTable.outcome;
    if (!outcome) throw new Error('reference rows carry outcomes');
    const reference = fitCbpeReference(scoreTable(pima, pima.referenceTable), outcome, threshold, 2);
    for (const w of weeks) {
      const row = table.find((r) => r.week === isoWeekOf(w.date));
      if (!row?.judged || row.recall === null) continue;
      const e = estimatePerformance(reference, w.scores);
      expect(e.n).toBe(400);
      const lower = e.recall.lower ?? Number.NaN;
      const upper = e.recall.upper ?? Number.NaN;
      if (DEGRADED_WEEKS.includes(w.week)) expect(row.recall).toBeLessThan(lower);
      else expect(row.recall >= lower && row.recall <= upper).toBe(true);
    }
  });
});
