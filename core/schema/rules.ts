import { FEATURE_UNITS, type FeatureName, ZERO_IMPUTE_COLUMNS } from './columns';

/**
 * Validation rules of the patient data contract, as data. The streaming validator (core/ingest) and the zod
 * row schema (patient-row.ts) are both derived from this table, so they cannot disagree.
 */
interface ColumnRule {
  integer: boolean;
  /** Hard bounds: outside them the row is rejected. */
  min: number;
  max: number;
  /**
   * Soft bounds, the clinical range of a 2-hour OGTT screening visit: outside them the row is kept with an
   * "implausible" warning. A zero that stands for "not measured" is never below the range.
   */
  plausibleMin: number;
  plausibleMax: number;
  /** What a warning on this column asks the reader to do. */
  advice: string;
}

/**
 * Every hard maximum is finite: a value above it cannot be a measurement, and a finite bound is also what keeps
 * overflowed input ("1e309", a 400-digit number, both +Infinity once parsed) out of the model. Why each bound:
 * - Pregnancies 40: the largest documented number of pregnancies of one woman is 27.
 * - Glucose 3000 mg/dL (2-h OGTT plasma glucose): above the highest glucose recorded in a surviving patient
 *   (about 2,650 mg/dL); beyond it the value is incompatible with life or a unit/entry error.
 * - BloodPressure 300 mm Hg (diastolic): clinical sphygmomanometer scales end at 300 mm Hg.
 * - SkinThickness 150 mm (triceps skinfold): skinfold calipers open to about 80 mm; 150 is far past that.
 * - Insulin 5000 µU/mL (2-h serum insulin): above what insulin immunoassays report even after dilution, as in
 *   insulinoma.
 * - BMI 250 kg/m²: above the highest BMI ever documented (about 190-200).
 * - DiabetesPedigreeFunction 10: a family-history score from 0.08 to 2.42 in the Pima data; 10 is four times
 *   the largest value it has been seen to take.
 * - Age 120 years: above the longest documented human life span (122) rounded down to a screening age.
 */
export const COLUMN_RULES: Record<FeatureName, ColumnRule> = {
  Pregnancies: {
    integer: true,
    min: 0,
    max: 40,
    plausibleMin: 0,
    plausibleMax: 20,
    advice: 'confirm the number of pregnancies',
  },
  // Below 40 mg/dL is severe hypoglycaemia, not a screening reading; it is what mmol/L values look like.
  Glucose: {
    integer: false,
    min: 0,
    max: 3000,
    plausibleMin: 40,
    plausibleMax: 400,
    advice: 'check the value was entered in mg/dL',
  },
  BloodPressure: {
    integer: false,
    min: 0,
    max: 300,
    plausibleMin: 30,
    plausibleMax: 200,
    advice: 'confirm the diastolic measurement in mm Hg',
  },
  SkinThickness: {
    integer: false,
    min: 0,
    max: 150,
    plausibleMin: 3,
    plausibleMax: 100,
    advice: 'confirm the triceps skinfold in mm',
  },
  // No lower bound: a low 2-hour insulin is a real reading.
  Insulin: {
    integer: false,
    min: 0,
    max: 5000,
    plausibleMin: 0,
    plausibleMax: 1000,
    advice: 'check the value was entered in µU/mL',
  },
  BMI: {
    integer: false,
    min: 0,
    max: 250,
    plausibleMin: 10,
    plausibleMax: 80,
    advice: 'check the value is a BMI in kg/m²',
  },
  DiabetesPedigreeFunction: {
    integer: false,
    min: 0,
    max: 10,
    plausibleMin: 0,
    plausibleMax: 3,
    advice: 'confirm the pedigree score',
  },
  Age: { integer: true, min: 0, max: 120, plausibleMin: 10, plausibleMax: 120, advice: 'check the age is in years' },
};

export const PATIENT_ID_MAX_LENGTH = 64;
/**
 * A value further than this share of the training data's range beyond its minimum or maximum earns a warning: the
 * trees have seen nothing like it. Tied to the range, not the standard deviation, so that the long right tails of
 * Insulin and DiabetesPedigreeFunction, which the training data holds too, raise nothing.
 */
export const TRAINING_RANGE_MARGIN = 0.5;

/** Rules whose breach rejects the row. */
export const HARD_RULES = [
  'missing',
  'not_numeric',
  'negative',
  'not_integer',
  'out_of_range',
  'id_missing',
  'id_too_long',
  'outcome_not_binary',
  'field_count',
  'malformed_csv',
  'line_too_long',
] as const;
export type HardRule = (typeof HARD_RULES)[number];

/** Rules whose breach keeps the row with a warning. */
export const SOFT_RULES = ['implausible', 'outside_training_range', 'duplicate_id'] as const;
export type SoftRule = (typeof SOFT_RULES)[number];
export type RuleCode = HardRule | SoftRule;

export const RULE_DESCRIPTIONS: Record<RuleCode, string> = {
  missing: 'a value is required',
  not_numeric: 'the value must be a number',
  negative: 'the value must not be negative',
  not_integer: 'the value must be a whole number',
  out_of_range: 'the value is outside the allowed range',
  id_missing: 'patient_id is required',
  id_too_long: `patient_id must be at most ${PATIENT_ID_MAX_LENGTH} characters`,
  outcome_not_binary: 'Outcome must be 0 or 1',
  field_count: 'the row has a different number of fields than the header',
  malformed_csv: 'the row is not well-formed CSV (for example an unclosed quote)',
  line_too_long: 'the line is longer than the maximum line length',
  implausible: 'the value is physiologically implausible; check the source record',
  outside_training_range: 'the value is far outside the range of the training data; confirm the measurement',
  duplicate_id: 'this patient_id appears more than once in the file',
};

/** 10^0 .. 10^22, all exact doubles: the divisors of parseDecimal and of the ingest's byte-level fast path. */
export const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

type CellCheck = { ok: true; value: number } | { ok: false; rule: HardRule; message: string };

/**
 * Parses a plain decimal ("148", "-1", "33.6", ".5", "1e3") without allocating; NaN when the text is not one.
 * Hex, binary, "Infinity" and thousands separators are not numbers here, unlike Number().
 * With decimalComma, "33,6" reads as 33.6 (semicolon/tab exports from European locales).
 */
export function parseDecimal(text: string, decimalComma = false): number {
  let start = 0;
  let end = text.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: at start = end the character there is a trimmed space or none, so the loop stops anyway
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: at end = start the character before is a leading space already skipped or none; every such case still returns NaN below
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  // Stryker disable next-line ConditionalExpression: an empty text has no digits and returns NaN below
  if (start === end) return Number.NaN;
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let seenPoint = false;
  // Stryker disable next-line EqualityOperator: the character at end (a trimmed space, or none) is never a digit, sign or exponent, so testing it changes nothing
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (seenPoint) fractionDigits++;
    } else if ((c === 46 || (decimalComma && c === 44)) && !seenPoint) {
      seenPoint = true;
    } else {
      break;
    }
  }
  if (digits === 0) return Number.NaN;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: this fast path returns what the exact path below does, so sending a number to either changes nothing
  if (i === end && digits <= 15 && fractionDigits <= 22) {
    // Both operands are exact doubles, so one division is correctly rounded: the same result as Number(text).
    // Stryker disable next-line ConditionalExpression: with no fraction digits the divisor is 10^0 = 1
    const value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
    return negative ? -value : value;
  }
  // Rare forms (exponent, very long digit strings) take the slow exact path. The exponent is checked by a scan,
  // not a regular expression: a backtracking pattern took quadratic time on a megabyte of digits.
  if (i < end) {
    const e = text.charCodeAt(i);
    if (e !== 101 /* e */ && e !== 69 /* E */) return Number.NaN;
    i++;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the character at end (a trimmed space, or none) is never a digit, sign or exponent, so testing it changes nothing
    if (i < end && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    const exponentStart = i;
    while (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the character at end (a trimmed space, or none) is never a digit
      i < end &&
      text.charCodeAt(i) >= 48 &&
      text.charCodeAt(i) <= 57
    )
      i++;
    // Stryker disable next-line ConditionalExpression: an exponent without digits ("1e", "1e+") reaches Number(), which refuses it as well
    if (i === exponentStart) return Number.NaN;
    if (i !== end) return Number.NaN;
  }
  // Stryker disable next-line MethodExpression: Number() trims the same spaces (and more) that the slice cuts off
  const rest = text.slice(start, end);
  return Number(decimalComma ? rest.replace(',', '.') : rest);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 160;
}

/** Applies the hard rules of one feature to one raw cell. */
export function checkFeatureCell(column: FeatureName, raw: string | undefined, decimalComma = false): CellCheck {
  if (raw === undefined || raw.trim() === '') return { ok: false, rule: 'missing', message: RULE_DESCRIPTIONS.missing };
  const value = parseDecimal(raw, decimalComma);
  return checkFeatureValue(column, value);
}

export function checkFeatureValue(column: FeatureName, value: number): CellCheck {
  const rule = COLUMN_RULES[column];
  if (Number.isNaN(value)) return { ok: false, rule: 'not_numeric', message: RULE_DESCRIPTIONS.not_numeric };
  // A number written too large for a double ("1e309", 400 digits) parses to ±Infinity: out of range, not scored.
  if (!Number.isFinite(value)) return { ok: false, rule: 'out_of_range', message: rangeMessage(column) };
  if (value < 0) return { ok: false, rule: 'negative', message: RULE_DESCRIPTIONS.negative };
  if (rule.integer && !Number.isInteger(value)) {
    return { ok: false, rule: 'not_integer', message: RULE_DESCRIPTIONS.not_integer };
  }
  if (
    // Stryker disable next-line ConditionalExpression: negative values were refused above, and every minimum is 0
    value < rule.min ||
    value > rule.max
  ) {
    return { ok: false, rule: 'out_of_range', message: rangeMessage(column) };
  }
  return { ok: true, value };
}

function rangeMessage(column: FeatureName): string {
  const rule = COLUMN_RULES[column];
  return `${column} must be between ${rule.min} and ${rule.max}`;
}

/** Longest text of a cell value kept in a report, a warning or a stored rejected row. */
const DISPLAY_VALUE_MAX_LENGTH = 64;

/** A value as it may be stored or echoed: at most 64 characters, then an ellipsis, so no file can flood a report. */
export function capValue(text: string): string {
  return text.length > DISPLAY_VALUE_MAX_LENGTH ? `${text.slice(0, DISPLAY_VALUE_MAX_LENGTH)}…` : text;
}

export function checkPatientId(raw: string | undefined): { ok: true; id: string } | { ok: false; rule: HardRule } {
  const id = (raw ?? '').trim();
  if (id === '') return { ok: false, rule: 'id_missing' };
  if (id.length > PATIENT_ID_MAX_LENGTH) return { ok: false, rule: 'id_too_long' };
  return { ok: true, id };
}

const MISSING_WHEN_ZERO = new Set<FeatureName>([...ZERO_IMPUTE_COLUMNS, 'Insulin']);

/** Zero in these columns means "not measured" for range checks (for Insulin it may also be a reading, never a low one). */
export function zeroMeansMissing(column: FeatureName): boolean {
  return MISSING_WHEN_ZERO.has(column);
}

/** Outside the column's clinical range; a zero meaning "not measured" is not. */
export function isImplausible(column: FeatureName, value: number): boolean {
  const rule = COLUMN_RULES[column];
  if (value > rule.plausibleMax) return true;
  return value < rule.plausibleMin && !(value === 0 && zeroMeansMissing(column));
}

function unitSuffix(column: FeatureName): string {
  return FEATURE_UNITS[column] ? ` ${FEATURE_UNITS[column]}` : '';
}

/**
 * The warning text for a value outside the clinical range: the range, and what to do. `declaredUnit`: the unit the
 * file declared for a converted column, which is then what to check. Never the value itself.
 */
export function implausibleMessage(column: FeatureName, declaredUnit?: string): string {
  const rule = COLUMN_RULES[column];
  const advice = declaredUnit
    ? `check the values are in ${declaredUnit} as declared, and confirm the measurement`
    : rule.advice;
  return `${column} is outside the plausible range ${rule.plausibleMin}-${rule.plausibleMax}${unitSuffix(column)}: ${advice}`;
}

/** The warning text for a value far outside the training data's range [min, max]. */
export function outsideTrainingMessage(column: FeatureName, min: number, max: number): string {
  return `${column} is far outside the training data's range (${min}-${max}${unitSuffix(column)}), so its score is an extrapolation: confirm the measurement`;
}
