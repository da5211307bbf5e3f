import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from './columns';
import {
  COLUMN_RULES,
  checkFeatureCell,
  checkFeatureValue,
  checkPatientId,
  isImplausible,
  parseDecimal,
} from './rules';

describe('patient ids', () => {
  test('an id is trimmed; blank or absent is missing', () => {
    expect(checkPatientId('  P-0001\t')).toEqual({ ok: true, id: 'P-0001' });
    for (const raw of [undefined, '', '   ', '\t\u00a0'])
      expect(checkPatientId(raw)).toEqual({ ok: false, rule: 'id_missing' });
  });

  test('64 characters are allowed, 65 are too long, counted after trimming', () => {
    expect(checkPatientId('x'.repeat(64))).toEqual({ ok: true, id: 'x'.repeat(64) });
    expect(checkPatientId(` ${'x'.repeat(64)} `)).toEqual({ ok: true, id: 'x'.repeat(64) });
    expect(checkPatientId('x'.repeat(65))).toEqual({ ok: false, rule: 'id_too_long' });
  });
});

describe('feature bounds at their edges', () => {
  test.each(FEATURE_COLUMNS)('%s: 0 and the hard maximum are accepted, past the maximum is out of range', (column) => {
    const { max, plausibleMax } = COLUMN_RULES[column];
    expect(checkFeatureValue(column, 0)).toEqual({ ok: true, value: 0 });
    expect(checkFeatureValue(column, max)).toEqual({ ok: true, value: max });
    expect(checkFeatureValue(column, max + 1)).toEqual({
      ok: false,
      rule: 'out_of_range',
      message: `${column} must be between 0 and ${max}`,
    });
    // Implausible is strictly above the plausible maximum.
    expect(isImplausible(column, plausibleMax)).toBe(false);
    expect(isImplausible(column, plausibleMax + 1)).toBe(true);
  });

  test('an absent or blank cell is missing, not "not a number"', () => {
    expect(checkFeatureCell('Glucose', undefined)).toMatchObject({ ok: false, rule: 'missing' });
    expect(checkFeatureCell('Glucose', ' \t ')).toMatchObject({ ok: false, rule: 'missing' });
    expect(checkFeatureCell('Glucose', ' 148 ')).toEqual({ ok: true, value: 148 });
  });

  test('a decimal comma is read only when asked', () => {
    expect(checkFeatureCell('BMI', '33,6', true)).toEqual({ ok: true, value: 33.6 });
    expect(checkFeatureCell('BMI', '33,6')).toMatchObject({ ok: false, rule: 'not_numeric' });
  });
});

describe('parseDecimal forms', () => {
  test('signs, a leading point, a trailing point and exponents', () => {
    expect(parseDecimal('-1')).toBe(-1);
    expect(parseDecimal('+1.25')).toBe(1.25);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('5.')).toBe(5);
    expect(parseDecimal('1E3')).toBe(1000);
    expect(parseDecimal('1e-3')).toBe(0.001);
    expect(parseDecimal('2.5e+2')).toBe(250);
  });

  test('what is not one plain decimal is NaN', () => {
    for (const text of ['', '   ', '-', '+', '.', 'e3', '1e', '1e+', '1.2.3', '1x', '0x10', '1e3x', '--1', '1,5']) {
      expect(parseDecimal(text), JSON.stringify(text)).toBeNaN();
    }
  });

  test('a decimal comma reads like a point, once', () => {
    expect(parseDecimal('33,6', true)).toBe(33.6);
    expect(parseDecimal('1,5e1', true)).toBe(15);
    expect(parseDecimal('1,2,3', true)).toBeNaN();
    expect(parseDecimal('1,234567890123456789', true)).toBe(Number('1.234567890123456789'));
  });

  test('22 fraction digits take the fast path, more take the exact one; both agree with Number()', () => {
    for (const text of ['0.1234567890123456789012', '0.12345678901234567890123', '0.0000000000000000000001']) {
      expect(parseDecimal(text)).toBe(Number(text));
    }
  });
});

describe('plausible range, low side', () => {
  test('below the plausible minimum is implausible, the minimum itself is not; a zero meaning "not measured" is not', () => {
    expect(isImplausible('Glucose', 39)).toBe(true);
    expect(isImplausible('Glucose', 40)).toBe(false);
    expect(isImplausible('BMI', 9.9)).toBe(true);
    expect(isImplausible('BMI', 10)).toBe(false);
    // Zero Glucose, BMI and Insulin mean "not measured" in the Pima export; a zero Age is a reading, and far too low.
    expect(isImplausible('Glucose', 0)).toBe(false);
    expect(isImplausible('BMI', 0)).toBe(false);
    expect(isImplausible('Age', 0)).toBe(true);
    expect(isImplausible('Age', 9)).toBe(true);
    expect(isImplausible('Age', 10)).toBe(false);
  });
});
