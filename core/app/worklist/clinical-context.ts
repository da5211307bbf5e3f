import type { PatientInput } from '../../api/outputs';
import { FEATURE_COLUMNS, FEATURE_UNITS, type FeatureName, ZERO_IMPUTE_COLUMNS } from '../../schema/columns';
import { isImplausible } from '../../schema/rules';

const IMPUTED = new Set<string>(ZERO_IMPUTE_COLUMNS);

/**
 * Below these a living patient's value cannot be right (a typo, or the wrong unit, e.g. mmol/L): such a value is
 * called implausible, never "Normal". Above, the import's own plausible maxima apply.
 */
const PLAUSIBLE_MIN: Partial<Record<FeatureName, number>> = { Glucose: 20, BMI: 10 };

/**
 * The clinical reading of one value, for the patient detail and quick score. The Glucose column holds the 2-hour
 * oral glucose tolerance test (as in the Pima data), so the WHO/ADA OGTT cut-offs apply: >= 200 mg/dL diabetes
 * range, 140-199 impaired glucose tolerance. The fasting cut-offs (126, 100) would mislabel most of it. BMI: WHO
 * classes (>= 30 obese, 25-29.9 overweight).
 */
export function clinicalFlag(feature: FeatureName, value: number): PatientInput['flag'] {
  if (feature !== 'Glucose' && feature !== 'BMI') return null;
  const min = PLAUSIBLE_MIN[feature] ?? 0;
  if (value < min || isImplausible(feature, value)) {
    return { level: 'implausible', text: `Implausible value: check the record (${FEATURE_UNITS[feature] || feature})` };
  }
  if (feature === 'Glucose') {
    if (value >= 200) return { level: 'high', text: 'Diabetes range on a 2-hour OGTT (≥ 200 mg/dL)' };
    if (value >= 140) return { level: 'elevated', text: 'Impaired glucose tolerance (2-hour OGTT 140–199 mg/dL)' };
    return { level: 'normal', text: 'Normal 2-hour OGTT (< 140 mg/dL)' };
  }
  if (value >= 30) return { level: 'high', text: 'Obese (BMI ≥ 30)' };
  if (value >= 25) return { level: 'elevated', text: 'Overweight (BMI 25–29.9)' };
  if (value < 18.5) return { level: 'elevated', text: 'Underweight (BMI < 18.5)' };
  return { level: 'normal', text: 'Normal weight (BMI 18.5–24.9)' };
}

/**
 * The inputs as the clinician should read them. A 0 in a zero-impute column was "not measured": it is shown as
 * missing, marked imputed, and the value the model used (the training median) is given; no clinical flag is drawn
 * from an imputed value.
 */
export function clinicalInputs(
  raw: Record<FeatureName, number>,
  imputedValue: (feature: FeatureName) => number | null,
): PatientInput[] {
  return FEATURE_COLUMNS.map((feature) => {
    const value = raw[feature];
    const missing = !Number.isFinite(value) || (IMPUTED.has(feature) && value === 0);
    const usedValue = missing ? imputedValue(feature) : value;
    return {
      feature,
      unit: FEATURE_UNITS[feature],
      value: missing ? null : value,
      usedValue,
      imputed: missing,
      ...(isNotMeasured(feature, value) ? { notMeasured: true } : {}),
      flag: missing ? null : clinicalFlag(feature, value),
    };
  });
}

/**
 * Insulin 0 is "test not done" in this data (a fasting insulin of exactly 0 is not a real result), but the model was
 * trained on the zeros as they stand, so it is not imputed: it is only shown as not measured.
 */
export function isNotMeasured(feature: FeatureName | string, value: number | null): boolean {
  return feature === 'Insulin' && value === 0;
}
