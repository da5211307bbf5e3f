import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS, MODEL_FEATURES, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { ageGroup, bmiCategory, engineerInto } from './feature-engineer';
import type { ModelMatrix } from './model-matrix';
import { applyScaler, fitScaler } from './standard-scaler';
import { fitZeroImputer } from './zero-imputer';

function tableOf(columns: Partial<Record<(typeof FEATURE_COLUMNS)[number], number[]>>, rowCount: number): PatientTable {
  const features = emptyFeatureColumns(rowCount);
  for (const name of FEATURE_COLUMNS) features[name].fill(1);
  for (const [name, values] of Object.entries(columns)) features[name as keyof typeof features].set(values);
  return {
    rowCount,
    ids: Array.from({ length: rowCount }, (_, i) => `p${i}`),
    lineNumbers: Uint32Array.from({ length: rowCount }, (_, i) => i + 2),
    features,
    outcome: null,
  };
}

describe('zero imputer medians', () => {
  test('an even count of non-zero values takes the mean of the two middle ones, zeros left out', () => {
    // Non-zero Glucose values 90, 100, 120, 140: median (100 + 120) / 2 = 110; the zeros do not count.
    const table = tableOf({ Glucose: [140, 0, 90, 120, 0, 100] }, 6);
    expect(fitZeroImputer(table).Glucose).toBe(110);
  });

  test('an odd count takes the middle value, sorted numerically (not as text)', () => {
    // As text, "100" < "85" < "9": a lexical sort would pick 85.
    const table = tableOf({ BMI: [9, 100, 0, 85] }, 4);
    expect(fitZeroImputer(table).BMI).toBe(85);
  });

  test('a column with no non-zero value cannot be fitted, and says which', () => {
    const column = ZERO_IMPUTE_COLUMNS[0];
    expect(() => fitZeroImputer(tableOf({ [column]: [0, 0, 0] }, 3))).toThrow(new RegExp(`${column} has no non-zero`));
  });
});

describe('standard scaler', () => {
  function matrixOf(rows: number, fill: (name: string, i: number) => number): ModelMatrix {
    const columns = {} as ModelMatrix['columns'];
    for (const name of MODEL_FEATURES) columns[name] = Float64Array.from({ length: rows }, (_, i) => fill(name, i));
    return { rowCount: rows, columns };
  }

  test('a constant column keeps scale 1, so it scales to exact zeros instead of NaN', () => {
    const constant = MODEL_FEATURES[0];
    const matrix = matrixOf(5, (name, i) => (name === constant ? 7 : i));
    const params = fitScaler(matrix);
    expect(params.scale[constant]).toBe(1);
    expect(params.mean[constant]).toBe(7);
    expect(Array.from(applyScaler(params, matrix).columns[constant])).toEqual([0, 0, 0, 0, 0]);
  });

  test('a varying column uses the population standard deviation', () => {
    // 0..4: mean 2, population variance (4+1+0+1+4)/5 = 2.
    const params = fitScaler(matrixOf(5, (_, i) => i));
    expect(params.scale[MODEL_FEATURES[1]]).toBeCloseTo(Math.SQRT2, 14);
  });
});

describe('feature engineer', () => {
  test('NaN stays NaN in each derived feature, never a category', () => {
    expect(bmiCategory(Number.NaN)).toBeNaN();
    expect(ageGroup(Number.NaN)).toBeNaN();
    const out = { bmiCategory: new Float64Array(2), ageGroup: new Float64Array(2), glucoseBmi: new Float64Array(2) };
    engineerInto(
      Float64Array.of(100, Number.NaN),
      Float64Array.of(Number.NaN, 30),
      Float64Array.of(Number.NaN, 50),
      out,
    );
    expect(out.bmiCategory[0]).toBeNaN();
    expect(out.ageGroup[0]).toBeNaN();
    expect(out.glucoseBmi[0]).toBeNaN();
    expect(out.glucoseBmi[1]).toBeNaN();
    expect([out.bmiCategory[1], out.ageGroup[1]]).toEqual([2, 2]);
  });

  test('bins are right-inclusive at each edge', () => {
    expect([18.5, 18.6, 25, 25.1, 30, 30.1].map(bmiCategory)).toEqual([0, 1, 1, 2, 2, 3]);
    expect([30, 31, 45, 46, 60, 61, 130].map(ageGroup)).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
});
