import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS, OUTCOME_COLUMN } from '../schema/columns';
import { PIMA_PATH } from '../testing/pima';
import { normaliseHeader, resolveHeader } from './header-mapping';

const pimaHeader = readFileSync(PIMA_PATH, 'utf8').split(/\r?\n/, 1)[0].split(',');

describe('header names', () => {
  test('case, surrounding space and inner spaces, tabs and underscores do not matter', () => {
    for (const written of [
      'Blood Pressure',
      ' bloodpressure ',
      'blood_pressure',
      'BLOOD\t_ PRESSURE',
      'BloodPressure',
    ]) {
      expect(normaliseHeader(written)).toBe('bloodpressure');
    }
    // Other punctuation is kept: "Blood-Pressure" is another name.
    expect(normaliseHeader('Blood-Pressure')).toBe('blood-pressure');
  });

  test('every Unicode space counts, inside the name as at its ends: a byte-order mark, no-break and em spaces', () => {
    for (const written of ['\ufeffBloodPressure', '\u00a0Blood\u2003Pressure\u00a0', 'Blood\u2028Pressure\r']) {
      expect(normaliseHeader(written)).toBe('bloodpressure');
    }
    expect(resolveHeader(['\ufeffPregnancies', 'Glucose\u00a0', 'Blood__Pressure']).indexOf).toEqual(
      new Map([
        ['Pregnancies', 0],
        ['Glucose', 1],
        ['BloodPressure', 2],
      ]),
    );
  });
});

describe('resolveHeader', () => {
  test("the Pima file's own header maps every column to itself, in file order", () => {
    const { indexOf, mapping, ignored, duplicates, otherDuplicates } = resolveHeader(pimaHeader);
    expect(mapping).toEqual(pimaHeader.map((source) => ({ source, column: source })));
    expect([...indexOf]).toEqual(pimaHeader.map((name, i) => [name, i]));
    expect([ignored, duplicates, otherDuplicates]).toEqual([[], [], 0]);
    expect(new Set(pimaHeader)).toEqual(new Set([...FEATURE_COLUMNS, OUTCOME_COLUMN]));
  });

  test('a clinic export: written names map to contract columns, unknown ones are ignored, blanks skipped', () => {
    const header = ['Patient ID', '', 'glucose', 'ward', 'Diabetes_Pedigree_Function', '  ', 'Age '];
    const { indexOf, mapping, ignored } = resolveHeader(header);
    expect(mapping).toEqual([
      { source: 'Patient ID', column: 'patient_id' },
      { source: 'glucose', column: 'Glucose' },
      { source: 'Diabetes_Pedigree_Function', column: 'DiabetesPedigreeFunction' },
      { source: 'Age ', column: 'Age' },
    ]);
    expect(Object.fromEntries(indexOf)).toEqual({ patient_id: 0, Glucose: 2, DiabetesPedigreeFunction: 4, Age: 6 });
    expect(ignored).toEqual(['ward']);
  });

  test('a contract column named twice is reported as written; the first one is used', () => {
    const { indexOf, duplicates, otherDuplicates, mapping } = resolveHeader(['BMI', 'Age', 'bmi', 'Age']);
    expect(duplicates).toEqual(['BMI / bmi', 'Age']);
    expect(otherDuplicates).toBe(0);
    expect(indexOf.get('BMI')).toBe(0);
    expect(indexOf.get('Age')).toBe(1);
    expect(mapping).toHaveLength(2);
  });

  test('repeated unknown names are only counted, never echoed (they may be patient data)', () => {
    const { duplicates, otherDuplicates, ignored } = resolveHeader(['Smith J', 'x', 'smith_j', 'X', 'Glucose']);
    expect(duplicates).toEqual([]);
    expect(otherDuplicates).toBe(2);
    expect(ignored).toEqual(['Smith J', 'x']);
  });
});

describe('units written in a header', () => {
  test('a feature with its unit maps to the feature and keeps the unit; a plain name declares none', () => {
    const { indexOf, units, ignored, duplicates } = resolveHeader([
      'Pregnancies',
      'Glucose (mmol/L)',
      'Insulin ( pmol/L )',
      'BMI',
      'Outcome (mmol/L)',
      'Notes (mg/dL)',
    ]);
    expect([...indexOf]).toEqual([
      ['Pregnancies', 0],
      ['Glucose', 1],
      ['Insulin', 2],
      ['BMI', 3],
    ]);
    expect(units).toEqual(
      new Map([
        ['Glucose', 'mmol/L'],
        ['Insulin', 'pmol/L'],
      ]),
    );
    // Only the 8 features take a unit: an Outcome or an unknown column with one is not a contract column.
    expect(ignored).toEqual(['Outcome (mmol/L)', 'Notes (mg/dL)']);
    expect(duplicates).toEqual([]);
  });

  test('a feature written with and without its unit is one column named twice', () => {
    const { indexOf, units, duplicates } = resolveHeader(['Glucose', 'Glucose (mmol/L)', 'BMI (kg/m2)']);
    expect(duplicates).toEqual(['Glucose / Glucose (mmol/L)']);
    expect(indexOf.get('Glucose')).toBe(0);
    expect(units).toEqual(new Map([['BMI', 'kg/m2']]));
  });
});
