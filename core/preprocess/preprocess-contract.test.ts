import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../schema/columns';
import { takeRows } from '../table/patient-table';
import { loadPimaColumns, loadPimaTable } from '../testing/pima';
import { engineerInto } from './feature-engineer';
import { type ModelMatrix, rowOf, toFloat32RowMajor } from './model-matrix';
import { fitPreprocessor, parsePreprocessParams, transformFeatures } from './pipeline';
import { meanAndStd } from './standard-scaler';
import { imputeZeros } from './zero-imputer';

const table = await loadPimaTable();
const params = fitPreprocessor(table);
// The same file read without core/ingest or core/preprocess, imputed and engineered independently.
const pima = loadPimaColumns();

describe('fitted preprocessing on Pima', () => {
  test('the z-score reference is the mean and population std of each imputed raw feature', () => {
    for (const name of FEATURE_COLUMNS) {
      const column = pima.model[name];
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
      expect(params.featureStats.mean[name]).toBeCloseTo(mean, 9);
      expect(params.featureStats.std[name]).toBeCloseTo(std, 9);
    }
    expect(params.trainingRows).toBe(pima.rowCount);
  });

  test('nothing can be fitted on zero rows', () => {
    expect(() => fitPreprocessor(takeRows(table, []))).toThrow('cannot fit preprocessing on zero rows');
  });

  test('a parameter file that is not an object is refused at its root', () => {
    expect(() => parsePreprocessParams('5')).toThrow(/^preprocessing parameters are invalid at \(root\): /);
  });

  test('mean and std of nothing are undefined, not 0', () => {
    expect(meanAndStd([])).toEqual({ mean: Number.NaN, std: Number.NaN });
  });
});

describe('model matrix layouts', () => {
  const matrix: ModelMatrix = transformFeatures(params, takeRows(table, [0, 1, 2]));
  const width = MODEL_FEATURES.length;
  const expectedRow = (i: number) => MODEL_FEATURES.map((name) => pima.model[name][i]);

  test('a large enough buffer is reused from its start; a short one is not written', () => {
    const big = new Float32Array(3 * width + 5).fill(-1);
    const flat = toFloat32RowMajor(matrix, big);
    expect(flat.buffer).toBe(big.buffer);
    expect(flat.length).toBe(3 * width);
    expect(Array.from(big.subarray(3 * width))).toEqual([-1, -1, -1, -1, -1]);
    const exact = new Float32Array(3 * width);
    expect(toFloat32RowMajor(matrix, exact).buffer).toBe(exact.buffer);
    const short = new Float32Array(3 * width - 1);
    const fresh = toFloat32RowMajor(matrix, short);
    expect(fresh.buffer).not.toBe(short.buffer);
    expect(short.every((x) => x === 0)).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect(Array.from(fresh.subarray(i * width, (i + 1) * width))).toEqual(expectedRow(i).map(Math.fround));
    }
  });

  test('rowOf gives one row in MODEL_FEATURES order, into a given buffer when one is passed', () => {
    expect(Array.from(rowOf(matrix, 2))).toEqual(expectedRow(2));
    const out = new Float64Array(width);
    expect(rowOf(matrix, 1, out)).toBe(out);
    expect(Array.from(out)).toEqual(expectedRow(1));
  });
});

describe('writing into longer buffers', () => {
  test('imputeZeros and engineerInto write one entry per input row and leave the rest of the buffer alone', () => {
    const glucose = pima.raw.Glucose.subarray(0, 4);
    const out = new Float64Array(6).fill(-7);
    imputeZeros(glucose, 117, out);
    expect(Array.from(out)).toEqual([...Array.from(glucose, (g) => (g === 0 ? 117 : g)), -7, -7]);
    const engineered = {
      bmiCategory: new Float64Array(6).fill(-7),
      ageGroup: new Float64Array(6).fill(-7),
      glucoseBmi: new Float64Array(6).fill(-7),
    };
    engineerInto(glucose, pima.model.BMI, pima.model.Age, engineered);
    expect(Array.from(engineered.bmiCategory)).toEqual([...Array.from(pima.model.BMI_Category.subarray(0, 4)), -7, -7]);
    expect(Array.from(engineered.ageGroup)).toEqual([...Array.from(pima.model.Age_Group.subarray(0, 4)), -7, -7]);
    expect(Array.from(engineered.glucoseBmi.subarray(4))).toEqual([-7, -7]);
  });
});
