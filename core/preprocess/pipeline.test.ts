import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../schema/columns';
import { takeRows } from '../table/patient-table';
import { loadPimaTable } from '../testing/pima';
import { ageGroup, bmiCategory } from './feature-engineer';
import { toFloat32RowMajor } from './model-matrix';
import {
  fitPreprocessor,
  parsePreprocessParams,
  serialisePreprocessParams,
  transformFeatures,
  transformScaled,
} from './pipeline';

function zeros(values: Float64Array): number {
  return values.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
}

describe('the Pima training file', () => {
  test('has 768 valid rows and 268 positives', async () => {
    const table = await loadPimaTable();
    expect(table.rowCount).toBe(768);
    expect(table.outcome?.reduce((a, b) => a + b, 0)).toBe(268);
  });

  test('has the documented zero counts per column', async () => {
    const { features } = await loadPimaTable();
    expect(zeros(features.Glucose)).toBe(5);
    expect(zeros(features.BloodPressure)).toBe(35);
    expect(zeros(features.SkinThickness)).toBe(227);
    expect(zeros(features.Insulin)).toBe(374);
    expect(zeros(features.BMI)).toBe(11);
  });

  test('the zero imputer learns the medians of the non-zero values', async () => {
    const params = fitPreprocessor(await loadPimaTable());
    expect(params.imputeMedians).toEqual({ Glucose: 117, BloodPressure: 72, SkinThickness: 29, BMI: 32.3 });
  });

  test('engineered values of the first rows match the hand calculation', async () => {
    const table = await loadPimaTable();
    const m = transformFeatures(fitPreprocessor(table), table);
    // line 2: 6,148,72,35,0,33.6,0.627,50 -> obese (3), age 46-60 (2), 148 x 33.6
    expect([m.columns.BMI_Category[0], m.columns.Age_Group[0], m.columns.Glucose_BMI_Interaction[0]]).toEqual([
      3,
      2,
      148 * 33.6,
    ]);
    // line 3: 1,85,66,29,0,26.6,0.351,31 -> overweight (2), 31-45 (1)
    expect([m.columns.BMI_Category[1], m.columns.Age_Group[1], m.columns.Glucose_BMI_Interaction[1]]).toEqual([
      2,
      1,
      85 * 26.6,
    ]);
    // line 4: SkinThickness 0 -> 29; BMI 23.3 normal (1); age 32 (1)
    expect(m.columns.SkinThickness[2]).toBe(29);
    expect([m.columns.BMI_Category[2], m.columns.Age_Group[2]]).toEqual([1, 1]);
    // line 11: BMI 0 is imputed to 32.3 before the category and the interaction are derived
    expect(m.columns.BMI[9]).toBe(32.3);
    expect(m.columns.BMI_Category[9]).toBe(3);
    expect(m.columns.Glucose_BMI_Interaction[9]).toBe(125 * 32.3);
    // line 77: Glucose 0 -> 117
    expect(m.columns.Glucose[75]).toBe(117);
  });

  test('insulin zeros are kept, not imputed', async () => {
    const table = await loadPimaTable();
    const m = transformFeatures(fitPreprocessor(table), table);
    expect(zeros(m.columns.Insulin)).toBe(374);
    for (const column of ['Glucose', 'BloodPressure', 'SkinThickness', 'BMI'] as const) {
      expect(zeros(m.columns[column])).toBe(0);
    }
  });

  test('fitting uses only the rows it is given', async () => {
    const table = await loadPimaTable();
    const firstHundred = takeRows(
      table,
      Array.from({ length: 100 }, (_, i) => i),
    );
    const params = fitPreprocessor(firstHundred);
    const sorted = firstHundred.features.Glucose.filter((v) => v !== 0).sort();
    const mid = sorted.length >> 1;
    const expected = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    expect(params.imputeMedians.Glucose).toBe(expected);
    expect(params.trainingRows).toBe(100);
  });

  test('parameters serialise to JSON and load back identically', async () => {
    const table = await loadPimaTable();
    const params = fitPreprocessor(table);
    const loaded = parsePreprocessParams(serialisePreprocessParams(params));
    expect(loaded).toEqual(params);
    const a = transformScaled(params, table);
    const b = transformScaled(loaded, table);
    for (const name of MODEL_FEATURES) expect(b.columns[name]).toEqual(a.columns[name]);
  });

  test('a damaged parameter file is refused with the key that is wrong', async () => {
    const params = fitPreprocessor(await loadPimaTable());
    const broken = JSON.parse(serialisePreprocessParams(params));
    broken.imputeMedians.BMI = 'thirty';
    expect(() => parsePreprocessParams(JSON.stringify(broken))).toThrow(/imputeMedians\.BMI/);
  });

  test('the scaler standardises training columns to mean 0 and population std 1', async () => {
    const table = await loadPimaTable();
    const scaled = transformScaled(fitPreprocessor(table), table);
    for (const name of MODEL_FEATURES) {
      const col = scaled.columns[name];
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
      expect(Math.abs(mean)).toBeLessThan(1e-9);
      expect(variance).toBeCloseTo(1, 9);
    }
  });

  test('the row-major float32 matrix keeps MODEL_FEATURES order', async () => {
    const table = await loadPimaTable();
    const m = transformFeatures(fitPreprocessor(table), table);
    const flat = toFloat32RowMajor(m);
    expect(flat.length).toBe(768 * 11);
    for (let f = 0; f < MODEL_FEATURES.length; f++) {
      expect(flat[5 * 11 + f]).toBe(Math.fround(m.columns[MODEL_FEATURES[f]][5]));
    }
  });

  test('raw features pass through unchanged apart from imputation', async () => {
    const table = await loadPimaTable();
    const m = transformFeatures(fitPreprocessor(table), table);
    for (const name of FEATURE_COLUMNS) {
      for (let i = 0; i < table.rowCount; i++) {
        const raw = table.features[name][i];
        if (raw !== 0) expect(m.columns[name][i]).toBe(raw);
      }
    }
  });
});

describe('feature engineering bins', () => {
  test('are right-inclusive like pandas.cut', () => {
    expect([18.5, 18.6, 25, 25.01, 30, 30.1].map(bmiCategory)).toEqual([0, 1, 1, 2, 2, 3]);
    expect([21, 30, 31, 45, 46, 60, 61].map(ageGroup)).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });

  test('put values beyond the last edge into the last bin instead of failing', () => {
    expect(bmiCategory(105)).toBe(3);
    expect(ageGroup(121)).toBe(3);
    expect(ageGroup(0)).toBe(0);
  });
});
