/**
 * Diabetes from a confirmatory test, by the ADA's diagnostic cut-offs (Standards of Care, section 2), each applied
 * in the unit the result was entered in, as published there: HbA1c >= 6.5 % (NGSP) or >= 48 mmol/mol (IFCC);
 * fasting plasma glucose >= 126 mg/dL or >= 7.0 mmol/L; 2-hour OGTT glucose >= 200 mg/dL or >= 11.1 mmol/L.
 * The published pairs are rounded equivalents, so converting first and comparing in the other unit would move a
 * few borderline results across the line (11.1 mmol/L is 199.98 mg/dL); the lab's own unit decides.
 */
import { RESULT_UNITS, type ResultTest, type ResultUnit, TEST_NAMES } from '../api/follow-up-types';

export { RESULT_TESTS, RESULT_UNITS, type ResultTest, type ResultUnit, TEST_NAMES } from '../api/follow-up-types';

/** mg/dL per mmol/L of glucose (molar mass 180.16 g/mol). */
export const GLUCOSE_MG_DL_PER_MMOL_L = 18.016;

/** IFCC mmol/mol from NGSP % (the IFCC-NGSP master equation). */
export function hba1cPercentToMmolMol(percent: number): number {
  return 10.929 * (percent - 2.15);
}
export function hba1cMmolMolToPercent(mmolMol: number): number {
  return mmolMol / 10.929 + 2.15;
}

interface Cutoff {
  value: number;
  /** The plausible range in this unit: outside it the value is a typing or unit error, not a reading. */
  min: number;
  max: number;
}

// Plausible ranges: HbA1c 3-20 %, glucose 18-1000 mg/dL (1.0-55.5 mmol/L), the same limits in each unit.
const CUTOFFS: Record<ResultTest, Record<string, Cutoff>> = {
  hba1c: { '%': { value: 6.5, min: 3, max: 20 }, 'mmol/mol': { value: 48, min: 9, max: 195 } },
  fpg: { 'mg/dL': { value: 126, min: 18, max: 1000 }, 'mmol/L': { value: 7.0, min: 1.0, max: 55.5 } },
  ogtt: { 'mg/dL': { value: 200, min: 18, max: 1000 }, 'mmol/L': { value: 11.1, min: 1.0, max: 55.5 } },
};

export interface TestResult {
  test: ResultTest;
  value: number;
  unit: ResultUnit;
}

export interface Diagnosis {
  outcome: 0 | 1;
  /** The rule applied, in words, e.g. "HbA1c 7.1 % >= 6.5 %: diabetes (ADA)". */
  rule: string;
  /** The value in the other unit, for reading (never used for the decision). */
  converted: { value: number; unit: string };
}

export type DiagnosisCheck = { ok: true; diagnosis: Diagnosis } | { ok: false; rule: string };

export function diagnose(result: TestResult): DiagnosisCheck {
  const units = RESULT_UNITS[result.test] as readonly string[];
  const name = TEST_NAMES[result.test];
  if (!units.includes(result.unit))
    return { ok: false, rule: `${name} is entered in ${units.join(' or ')}, not ${result.unit}` };
  const cutoff = CUTOFFS[result.test][result.unit];
  if (!Number.isFinite(result.value) || result.value < cutoff.min || result.value > cutoff.max) {
    return {
      ok: false,
      rule: `${name} ${result.value} ${result.unit} is not a plausible result (${cutoff.min}-${cutoff.max} ${result.unit}); check the value and its unit`,
    };
  }
  const outcome = result.value >= cutoff.value ? 1 : 0;
  const sign = outcome === 1 ? '≥' : '<';
  const verdict = outcome === 1 ? 'diabetes' : 'no diabetes by this test';
  return {
    ok: true,
    diagnosis: {
      outcome,
      rule: `${name} ${result.value} ${result.unit} ${sign} ${cutoff.value} ${result.unit}: ${verdict} (ADA cut-off)`,
      converted: convert(result),
    },
  };
}

function convert({ test, value, unit }: TestResult): { value: number; unit: string } {
  if (test === 'hba1c') {
    return unit === '%'
      ? { value: round(hba1cPercentToMmolMol(value), 0), unit: 'mmol/mol' }
      : { value: round(hba1cMmolMolToPercent(value), 1), unit: '%' };
  }
  return unit === 'mg/dL'
    ? { value: round(value / GLUCOSE_MG_DL_PER_MMOL_L, 1), unit: 'mmol/L' }
    : { value: round(value * GLUCOSE_MG_DL_PER_MMOL_L, 0), unit: 'mg/dL' };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
