import { describe, expect, test } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import { FEATURE_COLUMNS, type FeatureName } from './columns';
import { PatientRowSchema, TrainingRowSchema } from './patient-row';
import { COLUMN_RULES, capValue, checkFeatureCell, checkFeatureValue, parseDecimal } from './rules';

describe('parseDecimal', () => {
  test('agrees with Number() on 100,000 random decimal strings', () => {
    const random = seededRandom(7);
    const mismatches: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const intDigits = Math.floor(random() * 8);
      const fracDigits = Math.floor(random() * 9);
      let text = random() < 0.1 ? '-' : '';
      for (let d = 0; d < intDigits; d++) text += Math.floor(random() * 10);
      if (fracDigits > 0 || intDigits === 0) text += '.';
      for (let d = 0; d < Math.max(fracDigits, intDigits === 0 ? 1 : 0); d++) text += Math.floor(random() * 10);
      if (!Object.is(parseDecimal(text), Number(text))) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });

  test('reads exponents, signs and surrounding spaces', () => {
    expect(parseDecimal(' 1.5e2 ')).toBe(150);
    expect(parseDecimal('+7')).toBe(7);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('12.')).toBe(12);
  });

  test('refuses what Number() would wrongly accept', () => {
    for (const text of ['', ' ', '0x10', '0b1', 'Infinity', 'NaN', '1,000', '1.2.3', '12abc', '--1', '.', 'e5']) {
      expect(parseDecimal(text), text).toBeNaN();
    }
  });

  test('reads a decimal comma only when asked', () => {
    expect(parseDecimal('33,6', true)).toBe(33.6);
    expect(parseDecimal('33,6')).toBeNaN();
  });
});

describe('the fast cell validator and the zod row schema', () => {
  const candidates = [
    0,
    1,
    2.5,
    -1,
    -0.5,
    19,
    20,
    21,
    119,
    120,
    120.5,
    121,
    400,
    1e6,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ];

  test('accept and reject exactly the same feature values', () => {
    const base = { patient_id: 'P1', ...Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, 1])) } as Record<
      string,
      unknown
    >;
    for (const column of FEATURE_COLUMNS) {
      for (const value of candidates) {
        const fast = checkFeatureValue(column, value).ok;
        const zod = PatientRowSchema.safeParse({ ...base, [column]: value }).success;
        expect(zod, `${column}=${value}`).toBe(fast);
      }
    }
  });

  test('reject a missing cell and a bad patient_id', () => {
    expect(checkFeatureCell('Glucose', '')).toMatchObject({ ok: false, rule: 'missing' });
    const row = { patient_id: '', ...Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, 1])) };
    expect(PatientRowSchema.safeParse(row).success).toBe(false);
    expect(PatientRowSchema.safeParse({ ...row, patient_id: 'x'.repeat(65) }).success).toBe(false);
    expect(PatientRowSchema.safeParse({ ...row, patient_id: 'x'.repeat(64) }).success).toBe(true);
  });

  test('training rows need Outcome 0 or 1', () => {
    const row = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, 1])) as Record<FeatureName, number>;
    expect(TrainingRowSchema.safeParse({ ...row, Outcome: 1 }).success).toBe(true);
    expect(TrainingRowSchema.safeParse({ ...row, Outcome: 2 }).success).toBe(false);
  });
});

describe('finite bounds', () => {
  test('every column has a finite hard maximum at or above its plausible maximum', () => {
    for (const column of FEATURE_COLUMNS) {
      const rule = COLUMN_RULES[column];
      expect(Number.isFinite(rule.max), column).toBe(true);
      expect(rule.max, column).toBeGreaterThanOrEqual(rule.plausibleMax);
    }
  });

  test('overflowing numbers are out of range, non-numbers are not numeric, for every column', () => {
    for (const column of FEATURE_COLUMNS) {
      for (const text of ['1e309', '1e999', '9'.repeat(400)]) {
        expect(checkFeatureCell(column, text), `${column} ${text}`).toMatchObject({ ok: false, rule: 'out_of_range' });
      }
      for (const text of ['Infinity', '-Infinity', 'NaN']) {
        expect(checkFeatureCell(column, text), `${column} ${text}`).toMatchObject({ ok: false, rule: 'not_numeric' });
      }
      expect(checkFeatureValue(column, Number.NEGATIVE_INFINITY).ok).toBe(false);
    }
  });

  // A quadratic scan would not finish within the test timeout here; its speed is for benchmarks, not this test.
  test('parseDecimal reads a megabyte of digits: trailing junk is NaN, all digits overflow to Infinity', () => {
    expect(parseDecimal(`${'7'.repeat(1 << 20)}x`)).toBeNaN();
    expect(parseDecimal('7'.repeat(1 << 20))).toBe(Number.POSITIVE_INFINITY);
  });

  test('capValue keeps 64 characters and adds an ellipsis', () => {
    expect(capValue('x'.repeat(64))).toBe('x'.repeat(64));
    expect(capValue('x'.repeat(65))).toBe(`${'x'.repeat(64)}…`);
  });
});
