import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from './columns';
import {
  COLUMN_RULES,
  checkFeatureCell,
  HARD_RULES,
  implausibleMessage,
  outsideTrainingMessage,
  parseDecimal,
  RULE_DESCRIPTIONS,
  SOFT_RULES,
} from './rules';

describe('rule descriptions', () => {
  // What a clinician reads next to a rejected row: each rule must say what is wrong in its own words.
  const keyWords: Record<string, RegExp> = {
    missing: /required/,
    not_numeric: /number/,
    negative: /negative/,
    not_integer: /whole number/,
    out_of_range: /range/,
    id_missing: /patient_id.*required/,
    id_too_long: /patient_id.*at most 64 characters/,
    outcome_not_binary: /Outcome.*0 or 1/,
    field_count: /number of fields/,
    malformed_csv: /CSV/,
    implausible: /implausible/,
    outside_training_range: /training data.*confirm/,
    duplicate_id: /more than once/,
  };

  test.each([...HARD_RULES, ...SOFT_RULES])('%s says what is wrong', (rule) => {
    expect(RULE_DESCRIPTIONS[rule]).toMatch(keyWords[rule] ?? /\w{4,}/);
  });

  test('no two rules share a description', () => {
    const descriptions = Object.values(RULE_DESCRIPTIONS);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  test.each([
    ['Glucose', '', 'missing'],
    ['Glucose', 'abc', 'not_numeric'],
    ['Glucose', '-5', 'negative'],
    ['Pregnancies', '2.5', 'not_integer'],
  ] as const)('a %s cell of %o is rejected as %s with its description', (column, raw, rule) => {
    const result = checkFeatureCell(column, raw);
    expect(result).toEqual({ ok: false, rule, message: RULE_DESCRIPTIONS[rule] });
  });

  test('out of range names the column and its bounds', () => {
    const result = checkFeatureCell('Age', '130');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rule).toBe('out_of_range');
      expect(result.message).toMatch(/^Age must be between 0 and 120$/);
    }
  });
});

describe('warning messages say what to do', () => {
  // A warning a clinician cannot act on teaches them to ignore warnings: each names its column and range, and asks
  // for one thing to check or confirm.
  test.each(FEATURE_COLUMNS)('%s: outside the plausible range', (column) => {
    const rule = COLUMN_RULES[column];
    const message = implausibleMessage(column);
    expect(
      message.startsWith(`${column} is outside the plausible range ${rule.plausibleMin}-${rule.plausibleMax}`),
    ).toBe(true);
    expect(message).toMatch(/: (check|confirm) .{8,}$/);
  });

  test('a converted column asks about the unit the file declared', () => {
    expect(implausibleMessage('Glucose', 'mmol/L')).toBe(
      'Glucose is outside the plausible range 40-400 mg/dL: check the values are in mmol/L as declared, and confirm the measurement',
    );
  });

  test.each(FEATURE_COLUMNS)('%s: far outside the training data', (column) => {
    expect(outsideTrainingMessage(column, 1, 2)).toMatch(
      new RegExp(`^${column} is far outside the training data's range \\(1-2.*\\).*: confirm the measurement$`),
    );
  });

  test('no two columns share advice', () => {
    const advice = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].advice);
    expect(new Set(advice).size).toBe(advice.length);
  });
});

describe('parseDecimal on long and padded numbers', () => {
  test.each([
    '1234567890123456', // 16 digits: past the fast path's exact-mantissa limit
    '12345678901234567890',
    '0.1234567890123456789',
    '98765432109876543.21',
    '000000000000000000148',
  ])('more than 15 digits (%s) read exactly as Number() reads them', (text) => {
    expect(parseDecimal(text)).toBe(Number(text));
  });

  test.each([
    ['\t148\t', 148],
    ['\u00a033.6\u00a0', 33.6],
    [' \t\u00a0 72 ', 72],
  ])('tab and non-breaking space around %o are trimmed', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  test('a space inside the number is not trimmed away', () => {
    expect(parseDecimal('1 48')).toBeNaN();
  });
});
