import { describe, expect, test } from 'vitest';
import {
  diagnose,
  GLUCOSE_MG_DL_PER_MMOL_L,
  hba1cMmolMolToPercent,
  hba1cPercentToMmolMol,
  type ResultTest,
  type ResultUnit,
} from './diagnosis-rule';

const outcome = (test: ResultTest, value: number, unit: ResultUnit) => {
  const r = diagnose({ test, value, unit });
  if (!r.ok) throw new Error(r.rule);
  return r.diagnosis.outcome;
};

describe('HbA1c unit conversion', () => {
  // The NGSP/IFCC equivalence table (ngsp.org, "IFCC - NGSP conversion"): % -> mmol/mol, rounded.
  test.each([
    [5.0, 31],
    [5.7, 39],
    [6.0, 42],
    [6.5, 48],
    [7.0, 53],
    [8.0, 64],
    [9.0, 75],
    [10.0, 86],
  ])('%f %% is %i mmol/mol', (percent, mmolMol) => {
    expect(Math.round(hba1cPercentToMmolMol(percent))).toBe(mmolMol);
    expect(hba1cMmolMolToPercent(hba1cPercentToMmolMol(percent))).toBeCloseTo(percent, 12);
  });

  test('every lab-reported whole mmol/mol and every one-decimal % falls on the same side of the cut-off', () => {
    for (let m = 9; m <= 195; m++) {
      expect(outcome('hba1c', m, 'mmol/mol')).toBe(hba1cMmolMolToPercent(m) >= 6.5 ? 1 : 0);
    }
    for (let tenth = 30; tenth <= 200; tenth++) {
      const percent = tenth / 10;
      expect(outcome('hba1c', percent, '%')).toBe(Math.round(hba1cPercentToMmolMol(percent)) >= 48 ? 1 : 0);
    }
  });
});

describe('ADA cut-offs, at each boundary', () => {
  test.each([
    ['hba1c', '%', 6.4, 6.5],
    ['hba1c', 'mmol/mol', 47, 48],
    ['fpg', 'mg/dL', 125, 126],
    ['fpg', 'mmol/L', 6.9, 7.0],
    ['ogtt', 'mg/dL', 199, 200],
    ['ogtt', 'mmol/L', 11.0, 11.1],
  ] as const)('%s in %s: %f is below, %f is diabetes', (test, unit, below, at) => {
    expect(outcome(test, below, unit)).toBe(0);
    expect(outcome(test, at, unit)).toBe(1);
    expect(outcome(test, at + 0.01, unit)).toBe(1);
    expect(outcome(test, at - 0.001, unit)).toBe(0);
  });

  test('the rule applied is stated with the value, the cut-off and the converted value', () => {
    const r = diagnose({ test: 'hba1c', value: 7.1, unit: '%' });
    expect(r).toEqual({
      ok: true,
      diagnosis: {
        outcome: 1,
        rule: 'HbA1c 7.1 % ≥ 6.5 %: diabetes (ADA cut-off)',
        converted: { value: 54, unit: 'mmol/mol' },
      },
    });
    const fpg = diagnose({ test: 'fpg', value: 5.5, unit: 'mmol/L' });
    expect(fpg).toMatchObject({
      ok: true,
      diagnosis: {
        outcome: 0,
        rule: 'Fasting plasma glucose 5.5 mmol/L < 7 mmol/L: no diabetes by this test (ADA cut-off)',
      },
    });
    if (fpg.ok)
      expect(fpg.diagnosis.converted).toEqual({ value: Math.round(5.5 * GLUCOSE_MG_DL_PER_MMOL_L), unit: 'mg/dL' });
  });

  test('the published mmol/L cut-offs decide in mmol/L even where the exact conversion falls just short', () => {
    // 11.1 mmol/L is 199.98 mg/dL: diabetes by the published mmol/L line, which is what the lab reported.
    expect(11.1 * GLUCOSE_MG_DL_PER_MMOL_L).toBeLessThan(200);
    expect(outcome('ogtt', 11.1, 'mmol/L')).toBe(1);
    expect(7.0 * GLUCOSE_MG_DL_PER_MMOL_L).toBeGreaterThanOrEqual(126);
  });
});

describe('refused results', () => {
  test.each([
    ['hba1c', 65, '%', 'not a plausible result (3-20 %)'],
    ['hba1c', 6.5, 'mmol/mol', 'not a plausible result (9-195 mmol/mol)'],
    ['fpg', 7, 'mg/dL', 'not a plausible result (18-1000 mg/dL)'],
    ['ogtt', 200, 'mmol/L', 'not a plausible result (1-55.5 mmol/L)'],
    ['fpg', -3, 'mg/dL', 'not a plausible result'],
    ['fpg', Number.NaN, 'mg/dL', 'not a plausible result'],
    ['ogtt', 150, '%', 'is entered in mg/dL or mmol/L, not %'],
  ] as const)('%s %f %s', (test, value, unit, rule) => {
    const r = diagnose({ test, value, unit: unit as ResultUnit });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rule).toContain(rule);
  });
});
