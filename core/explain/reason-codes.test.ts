import { describe, expect, test } from 'vitest';
import type { FeatureName } from '../schema/columns';
import { buildWaterfall, explainReasons, formatFeatureValue, topReasons } from './reason-codes';

const patient: Record<FeatureName, number> = {
  Pregnancies: 6,
  Glucose: 168,
  BloodPressure: 72,
  SkinThickness: 0,
  Insulin: 0,
  BMI: 22.1,
  DiabetesPedigreeFunction: 0.627,
  Age: 50,
};
// FEATURE_COLUMNS order, then the expected value.
const folded = [0.2, 1.1, 0.004, -0.05, 0.08, -0.6, 0.3, 0.25, -1.2];

describe('reason phrases', () => {
  test('each reason names the input, its value and unit, and the direction', () => {
    const reasons = explainReasons(folded, patient);
    expect(reasons.map((r) => r.text)).toEqual([
      'Glucose 168 mg/dL raises the risk',
      'BMI 22.1 kg/m² lowers the risk',
      'Diabetes pedigree 0.627 raises the risk',
      'Age 50 years raises the risk',
      'Pregnancies 6 raises the risk',
      'Insulin 0 µU/mL raises the risk',
      'Skin thickness not recorded (imputed) lowers the risk',
      'Blood pressure 72 mm Hg has little effect on the risk',
    ]);
  });

  test('a zero where zero means not measured has value null; Insulin 0 is a reading', () => {
    const reasons = explainReasons(folded, patient);
    const byFeature = new Map(reasons.map((r) => [r.feature, r]));
    expect(byFeature.get('SkinThickness')?.value).toBeNull();
    expect(byFeature.get('Insulin')?.value).toBe(0);
    expect(byFeature.get('Glucose')).toEqual({
      feature: 'Glucose',
      label: 'Glucose',
      value: 168,
      unit: 'mg/dL',
      contribution: 1.1,
      direction: 'raises',
      text: 'Glucose 168 mg/dL raises the risk',
    });
  });

  test('reasons survive a JSON round trip unchanged', () => {
    const reasons = explainReasons(folded, { ...patient, Glucose: Number.NaN });
    expect(JSON.parse(JSON.stringify(reasons))).toEqual(reasons);
    expect(reasons[0].text).toBe('Glucose not recorded (imputed) raises the risk');
  });

  test('the worklist gets the 3 largest non-neutral effects; equal effects keep the input order', () => {
    expect(topReasons(explainReasons(folded, patient)).map((r) => r.feature)).toEqual([
      'Glucose',
      'BMI',
      'DiabetesPedigreeFunction',
    ]);
    const tied = explainReasons([0.5, 0, 0, 0, 0, -0.5, 0, 0.5, 0], patient);
    expect(topReasons(tied).map((r) => r.feature)).toEqual(['Pregnancies', 'BMI', 'Age']);
    const quiet = explainReasons([0, 0.3, 0, 0, 0, 0, 0, 0, 0], patient);
    expect(topReasons(quiet).map((r) => r.feature)).toEqual(['Glucose']);
  });

  test('the neutral band is configurable', () => {
    const strict = explainReasons(folded, patient, { neutralEpsilon: 0 });
    expect(strict.find((r) => r.feature === 'BloodPressure')?.text).toBe('Blood pressure 72 mm Hg raises the risk');
    expect(() => explainReasons(folded, patient, { neutralEpsilon: -1 })).toThrow(
      'neutralEpsilon must be >= 0, got -1',
    );
    const { Age: _, ...withoutAge } = patient;
    expect(() => explainReasons(folded, withoutAge as typeof patient)).toThrow('no value for Age');
  });

  test('values are shown with clinical precision', () => {
    expect(formatFeatureValue('BMI', 30)).toBe('30.0 kg/m²');
    expect(formatFeatureValue('DiabetesPedigreeFunction', 0.5)).toBe('0.500');
    expect(formatFeatureValue('Glucose', 148.46)).toBe('148.5 mg/dL');
    expect(formatFeatureValue('Pregnancies', 3)).toBe('3');
    expect(formatFeatureValue('BMI', 0)).toBe('not recorded');
  });
});

test('the waterfall runs from the expected value through every reason to the margin', () => {
  const reasons = explainReasons(folded, patient);
  const waterfall = buildWaterfall(folded, reasons);
  expect(waterfall.expectedValue).toBe(-1.2);
  expect(waterfall.steps).toHaveLength(8);
  expect(waterfall.steps[0]).toMatchObject({ feature: 'Glucose', start: -1.2, contribution: 1.1 });
  for (let i = 1; i < waterfall.steps.length; i++) expect(waterfall.steps[i].start).toBe(waterfall.steps[i - 1].end);
  const margin = folded.reduce((a, b) => a + b, 0);
  expect(waterfall.margin).toBeCloseTo(margin, 12);
  expect(waterfall.steps[7].end).toBe(waterfall.margin);
  expect(JSON.parse(JSON.stringify(waterfall))).toEqual(waterfall);
});
