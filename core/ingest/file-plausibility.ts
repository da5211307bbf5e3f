import { FEATURE_COLUMNS, FEATURE_UNITS, type FeatureName } from '../schema/columns';
import { COLUMN_RULES, zeroMeansMissing } from '../schema/rules';
import type { DeclaredUnit } from '../schema/units';
import type { PatientTable } from '../table/patient-table';
import type { FileHold } from './validation-report';

/**
 * The file-level check that holds a batch whose values, taken together, look like another unit or scale: a
 * Glucose column in mmol/L passes every row rule (8.2 is a valid number of mg/dL) and would score every patient
 * Low. It runs over the whole file, on the values in model units (after any declared conversion), counting only
 * present values: a number, and not a zero that stands for "not measured".
 *
 * "The median is below T" is tested as "more than half of the present values are below T", which needs counts,
 * not the values, so the check streams in constant memory whatever the file's size.
 */

/**
 * Fewer present values than this are too few to judge a column by: a small file is then left to its row
 * warnings (each such value is outside the plausible range) and to the "warnings on most rows" status.
 */
export const MIN_PRESENT_VALUES = 10;

interface UnitGuess {
  column: FeatureName;
  direction: 'below' | 'above';
  /** In model units. None of the 768 Pima rows' present values lies beyond it. */
  threshold: number;
  code: string;
  message: string;
}

/**
 * A column whose median lies beyond the threshold looks like the unit named, and is held unless its unit was
 * declared (a declared unit is the file's own answer; the plausible-range rule below still applies to it).
 * Thresholds: Pima's present Glucose is 44-199 mg/dL (8.2 mmol/L = 148 mg/dL), Insulin 14-846 µU/mL with a
 * median of 125 (x 6 in pmol/L: a median near 750), BMI 18.2-67.1 and Age 21-81 years.
 */
const UNIT_GUESSES: readonly UnitGuess[] = [
  {
    column: 'Glucose',
    direction: 'below',
    threshold: 30,
    code: 'looks_like_mmol_per_l',
    message: 'Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert',
  },
  {
    column: 'Insulin',
    direction: 'above',
    threshold: 400,
    code: 'looks_like_pmol_per_l',
    message: 'Insulin looks like pmol/L: declare the unit (Insulin (pmol/L)) or convert',
  },
  {
    column: 'BMI',
    direction: 'below',
    threshold: 1,
    code: 'looks_like_a_fraction',
    message: 'BMI looks like a fraction, not kg/m²: give BMI in kg/m² (weight in kg / height in m squared)',
  },
  {
    column: 'Age',
    direction: 'above',
    threshold: 130,
    code: 'looks_like_months',
    message: 'Age looks like months, not years: give Age in whole years',
  },
];

const F = FEATURE_COLUMNS.length;
const GUESS_OF = FEATURE_COLUMNS.map((c) => UNIT_GUESSES.find((g) => g.column === c) ?? null);
const BELOW = Float64Array.from(GUESS_OF, (g) => (g?.direction === 'below' ? g.threshold : Number.NEGATIVE_INFINITY));
const ABOVE = Float64Array.from(GUESS_OF, (g) => (g?.direction === 'above' ? g.threshold : Number.POSITIVE_INFINITY));
const PLAUSIBLE_MIN = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMin);
const PLAUSIBLE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMax);
const ZERO_MISSING = FEATURE_COLUMNS.map((c) => zeroMeansMissing(c));

/** Counts, per feature, of present values and of those beyond each threshold. */
export class PlausibilityTally {
  readonly present = new Float64Array(F);
  readonly beyondGuess = new Float64Array(F);
  readonly outsidePlausible = new Float64Array(F);

  /** One value of feature `f` in model units; NaN, infinities and negatives (unparseable cells) are skipped. */
  add(f: number, value: number): void {
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) return;
    if (value === 0 && ZERO_MISSING[f]) return;
    this.present[f]++;
    if (value < BELOW[f] || value > ABOVE[f]) this.beyondGuess[f]++;
    if (value < PLAUSIBLE_MIN[f] || value > PLAUSIBLE_MAX[f]) this.outsidePlausible[f]++;
  }

  /** Every value of a chunk of valid rows. */
  addTable(table: PatientTable): void {
    for (let f = 0; f < F; f++) {
      const column = table.features[FEATURE_COLUMNS[f]];
      for (let i = 0; i < table.rowCount; i++) this.add(f, column[i]);
    }
  }

  /** Why the file must be held, or null. The first column (in contract order) that fails decides the message. */
  evaluate(units: readonly DeclaredUnit[]): FileHold | null {
    const declared = new Map(units.map((u) => [u.column, u]));
    for (let f = 0; f < F; f++) {
      const present = this.present[f];
      if (present < MIN_PRESENT_VALUES) continue;
      const column = FEATURE_COLUMNS[f];
      const guess = GUESS_OF[f];
      if (guess && !declared.has(column) && this.beyondGuess[f] * 2 > present) {
        return { column, code: guess.code, message: guess.message };
      }
      if (this.outsidePlausible[f] * 2 > present) {
        return { column, code: 'mostly_implausible', message: mostlyImplausibleMessage(column, declared.get(column)) };
      }
    }
    return null;
  }
}

function mostlyImplausibleMessage(column: FeatureName, unit: DeclaredUnit | undefined): string {
  const rule = COLUMN_RULES[column];
  const modelUnit = FEATURE_UNITS[column] ? ` ${FEATURE_UNITS[column]}` : '';
  const declared =
    unit && unit.unit !== FEATURE_UNITS[column] ? ` (after converting from ${unit.unit} as declared)` : '';
  return `most ${column} values are outside the plausible range ${rule.plausibleMin}-${rule.plausibleMax}${modelUnit}${declared}: check the column's unit and scale`;
}
