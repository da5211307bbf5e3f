import { describe, expect, test } from 'vitest';
import { acceptedUnitsText, describeUnits, findUnit, splitHeaderUnit } from './units';

describe('units a header may declare', () => {
  test.each([
    ['Glucose', 'mmol/L', 'mmol/L', 18.016, 1],
    ['Glucose', ' MG / DL ', 'mg/dL', 1, 1],
    ['Insulin', 'pmol/l', 'pmol/L', 1, 6],
    ['Insulin', 'μU/mL', 'µU/mL', 1, 1], // Greek mu (U+03BC), as some keyboards type it
    ['Insulin', 'µIU/mL', 'µU/mL', 1, 1],
    ['Insulin', 'mIU/L', 'µU/mL', 1, 1],
    ['BMI', 'kg/m2', 'kg/m²', 1, 1],
    ['BloodPressure', 'mmHg', 'mm Hg', 1, 1],
    ['Age', 'yrs', 'years', 1, 1],
  ] as const)('%s (%s) is %s, x %d / %d', (column, written, name, multiplier, divisor) => {
    expect(findUnit(column, written)).toMatchObject({ name, multiplier, divisor });
  });

  test.each([
    ['Glucose', 'g/L'],
    ['Glucose', 'mmol'],
    ['Insulin', 'ng/mL'],
    ['Age', 'months'],
    ['BMI', '%'],
    ['Pregnancies', 'count'],
  ] as const)('%s (%s) is not a unit the column accepts', (column, written) => {
    expect(findUnit(column, written)).toBeNull();
  });

  test('what a column accepts, as an error names it', () => {
    expect(acceptedUnitsText('Glucose')).toBe('Glucose accepts Glucose (mg/dL) or Glucose (mmol/L)');
    expect(acceptedUnitsText('Pregnancies')).toBe('Pregnancies takes no unit');
  });

  test.each([
    ['Glucose (mmol/L)', 'Glucose', 'mmol/L'],
    ['  Insulin(pmol/L)  ', 'Insulin', 'pmol/L'],
    ['Glucose', 'Glucose', null],
    ['(mmol/L)', '(mmol/L)', null],
    ['Glucose (a) (b)', 'Glucose (a) ', 'b'],
    ['note (free text', 'note (free text', null],
  ])('%o splits into name %o and unit %o', (header, name, unit) => {
    const split = splitHeaderUnit(header);
    expect([split.name.trim(), split.unit]).toEqual([name.trim(), unit]);
  });

  test('a header of 200,000 unclosed parentheses is no unit (and does not hang the split)', () => {
    expect(splitHeaderUnit(`Glucose ${'(x'.repeat(200_000)}`).unit).toBeNull();
  });

  test('a summary names the column, the unit, the factor and where it was declared', () => {
    expect(
      describeUnits([
        { column: 'Glucose', unit: 'mmol/L', multiplier: 18.016, divisor: 1, declaredIn: 'header' },
        { column: 'Insulin', unit: 'pmol/L', multiplier: 1, divisor: 6, declaredIn: 'config' },
        { column: 'Age', unit: 'years', multiplier: 1, divisor: 1, declaredIn: 'header' },
      ]),
    ).toBe(
      'Glucose in mmol/L (converted to mg/dL x 18.016, declared in the header); Insulin in pmol/L (converted to µU/mL / 6, declared in the config); Age in years (declared in the header)',
    );
  });
});
