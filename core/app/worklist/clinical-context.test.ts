import { describe, expect, test } from 'vitest';
import type { FeatureName } from '../../schema/columns';
import { clinicalFlag, clinicalInputs } from './clinical-context';

describe('clinical context', () => {
  test.each([
    // The column is a 2-hour OGTT: the fasting cut-offs (100, 126) do not apply.
    [126, 'normal'],
    [139, 'normal'],
    [140, 'elevated'],
    [199, 'elevated'],
    [200, 'high'],
    [9.7, 'implausible'],
    [450, 'implausible'],
  ] as const)('glucose %d is %s', (value, level) => {
    expect(clinicalFlag('Glucose', value)?.level).toBe(level);
  });

  test.each([
    [18.4, 'elevated'],
    [24.9, 'normal'],
    [25, 'elevated'],
    [29.9, 'elevated'],
    [30, 'high'],
    [5, 'implausible'],
  ] as const)('BMI %d is %s', (value, level) => {
    expect(clinicalFlag('BMI', value)?.level).toBe(level);
  });

  test('a zero in an imputed column is shown as missing, imputed, with the value the model used and no flag', () => {
    const raw: Record<FeatureName, number> = {
      Pregnancies: 0,
      Glucose: 0,
      BloodPressure: 72,
      SkinThickness: 0,
      Insulin: 0,
      BMI: 33.6,
      DiabetesPedigreeFunction: 0.627,
      Age: 50,
    };
    const inputs = clinicalInputs(raw, (f) => (f === 'Glucose' ? 117 : 23));
    const byName = Object.fromEntries(inputs.map((i) => [i.feature, i]));
    expect(byName.Glucose).toMatchObject({ value: null, usedValue: 117, imputed: true, flag: null });
    expect(byName.SkinThickness).toMatchObject({ value: null, usedValue: 23, imputed: true });
    // Pregnancies and Insulin zeros are real readings.
    expect(byName.Pregnancies).toMatchObject({ value: 0, imputed: false });
    expect(byName.Insulin).toMatchObject({ value: 0, imputed: false, notMeasured: true });
    expect(byName.BMI.flag?.level).toBe('high');
  });

  test('no implausible value is ever called normal', () => {
    for (const value of [1, 9.7, 15, 401, 2000]) {
      expect(clinicalFlag('Glucose', value)?.text).not.toMatch(/normal/i);
    }
    expect(clinicalFlag('Glucose', 126)?.text).not.toMatch(/diabetes/i);
  });
});
