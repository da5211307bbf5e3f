import type { PatientInput } from '../../api/outputs';
import { FEATURE_COLUMNS, FEATURE_UNITS, type FeatureName, ZERO_IMPUTE_COLUMNS } from '../../schema/columns';

const IMPUTED = new Set<string>(ZERO_IMPUTE_COLUMNS);

/**
 * The clinical reading of one value, for the patient detail and quick score. Thresholds: ADA fasting plasma glucose
 * (>= 126 mg/dL diabetes range, 100-125 pre-diabetes) and WHO BMI classes (>= 30 obese, 25-29.9 overweight).
 */
export function clinicalFlag(feature: FeatureName, value: number): PatientInput['flag'] {
  if (feature === 'Glucose') {
    if (value >= 126) return { level: 'high', text: 'Diabetes range (≥ 126 mg/dL)' };
    if (value >= 100) return { level: 'elevated', text: 'Pre-diabetes range (100–125 mg/dL)' };
    return { level: 'normal', text: 'Normal (< 100 mg/dL)' };
  }
  if (feature === 'BMI') {
    if (value >= 30) return { level: 'high', text: 'Obese (BMI ≥ 30)' };
    if (value >= 25) return { level: 'elevated', text: 'Overweight (BMI 25–29.9)' };
    if (value < 18.5) return { level: 'elevated', text: 'Underweight (BMI < 18.5)' };
    return { level: 'normal', text: 'Normal weight (BMI 18.5–24.9)' };
  }
  return null;
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
      flag: missing ? null : clinicalFlag(feature, value),
    };
  });
}
