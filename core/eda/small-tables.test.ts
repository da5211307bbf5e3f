import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { analyseDataset } from './analyse-dataset';

type Row = [number, number, number, number, number, number, number, number];

/** A table from rows in FEATURE_COLUMNS order (Pregnancies, Glucose, BloodPressure, SkinThickness, Insulin, BMI, DPF, Age). */
function tableOf(rows: Row[], outcome: number[] | null): PatientTable {
  const features = emptyFeatureColumns(rows.length);
  rows.forEach((row, i) => {
    FEATURE_COLUMNS.forEach((name: FeatureName, c) => {
      features[name][i] = row[c];
    });
  });
  return {
    rowCount: rows.length,
    ids: rows.map((_, i) => `P${i + 1}`),
    lineNumbers: Uint32Array.from(rows, (_, i) => i + 2),
    features,
    outcome: outcome ? Uint8Array.from(outcome) : null,
  };
}

// Six patients, checked by hand below.
const ROWS: Row[] = [
  [0, 90, 70, 20, 0, 22, 0.2, 25],
  [2, 100, 0, 0, 80, 28, 0.3, 35],
  [1, 125.5, 95, 30, 0, 0, 0.4, 50],
  [5, 126, 90, 40, 150, 31, 0.5, 61],
  [3, 0, 60, 0, 0, 35, 0.6, 30],
  [4, 180, 80, 35, 200, 40, 1.2, 45],
];
const OUTCOME = [0, 0, 1, 1, 0, 1];

describe('a six-patient table, by hand', () => {
  const report = analyseDataset(tableOf(ROWS, OUTCOME));

  test('missing data: zeros count as missing except in Pregnancies', () => {
    const missing = Object.fromEntries(report.missingData.features.map((f) => [f.feature, f.missingCount]));
    expect(missing).toEqual({
      Pregnancies: 0,
      Glucose: 1,
      BloodPressure: 1,
      SkinThickness: 2,
      Insulin: 3,
      BMI: 1,
      DiabetesPedigreeFunction: 0,
      Age: 0,
    });
    // Rows 1 (Insulin), 2 (BloodPressure, SkinThickness), 3 (Insulin, BMI) and 5 (Glucose, SkinThickness, Insulin).
    expect(report.missingData.rowsWithAnyMissing).toBe(4);
  });

  test('clinical bands: 125.5 is pre-diabetes, 126 the diabetes range, a zero is not measured', () => {
    const glucose = report.clinicalThresholds.thresholds[0];
    expect(glucose.bands.map((b) => b.count)).toEqual([1, 2, 2]); // 90 | 100, 125.5 | 126, 180
    expect(glucose.bands.map((b) => b.positives)).toEqual([0, 1, 2]);
    expect(glucose.missingCount).toBe(1);
    const bp = report.clinicalThresholds.thresholds[2];
    expect(bp.bands.map((b) => b.count)).toEqual([3, 2]); // 70, 60, 80 | 95, 90
  });

  test('subgroups: right-inclusive age bins, a missing BMI kept out of "Underweight"', () => {
    const [age, bmi] = report.subgroups.variables;
    expect(age.groups.map((g) => g.count)).toEqual([2, 2, 1, 1]); // 25, 30 | 35, 45 | 50 | 61
    expect(age.groups.map((g) => g.positiveRate)).toEqual([0, 0.5, 1, 1]);
    expect(bmi.missingCount).toBe(1);
    expect(bmi.groups.map((g) => g.count)).toEqual([0, 1, 1, 3]); // - | 22 | 28 | 31, 35, 40
    expect(bmi.groups[0]).toMatchObject({ positiveRate: null, small: true });
  });

  test('feature vs outcome: Glucose over measured values only', () => {
    const glucose = report.featureVsOutcome.features?.find((f) => f.feature === 'Glucose');
    // negatives 90, 100 (the zero left out); positives 125.5, 126, 180.
    expect(glucose?.negative).toMatchObject({ n: 2, mean: 95, median: 95 });
    expect(glucose?.positive).toMatchObject({ n: 3, median: 126 });
    expect(glucose?.positive.mean).toBeCloseTo(431.5 / 3, 12);
    expect(glucose?.meanDifferencePercent).toBeCloseTo((431.5 / 3 / 95 - 1) * 100, 10);
    // No overlap: U of the positives is 3·2 = 6.
    expect(glucose?.mannWhitney?.u).toBe(6);
  });
});

describe('degenerate tables give nulls and sentences, not NaN or exceptions', () => {
  test('an empty table', () => {
    const report = analyseDataset(tableOf([], null));
    expect(report.rowCount).toBe(0);
    expect(report.distributions.features[0].stats.mean).toBeNull();
    expect(report.distributions.features[0].bins).toEqual([]);
    expect(report.correlation.strongestFeaturePair).toBeNull();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test('a single outcome class', () => {
    const report = analyseDataset(tableOf(ROWS, [0, 0, 0, 0, 0, 0]));
    expect(report.overview.classBalance?.positives).toBe(0);
    expect(report.featureVsOutcome.features?.every((f) => f.cohensD === null && f.mannWhitney === null)).toBe(true);
    expect(report.keyFindings.find((f) => f.topic === 'class-balance')?.text).toMatch(/Only one outcome class/);
    expect(report.keyFindings.some((f) => f.topic === 'strongest-predictor')).toBe(false);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
