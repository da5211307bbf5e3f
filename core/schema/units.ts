import { FEATURE_UNITS, type FeatureName } from './columns';

/**
 * The units a batch may declare per column, and their exact conversion to the model's units (FEATURE_UNITS).
 * A value v in a declared unit becomes v * multiplier / divisor in model units: one multiplication and one
 * division of doubles, done identically by both parse paths, so a file scores the same whichever path reads it.
 *
 * | column  | unit                          | to model units | why                                                 |
 * | Glucose | mg/dL                         | x 1            | the model's unit                                     |
 * | Glucose | mmol/L                        | x 18.016       | glucose C6H12O6 weighs 180.16 g/mol: 1 mmol/L = 18.016 mg/dL |
 * | Insulin | µU/mL, uU/mL, µIU/mL, mU/L     | x 1            | the model's unit (1 µU/mL = 1 mU/L)                  |
 * | Insulin | pmol/L                        | / 6.0          | the conventional factor of insulin assays (1 µU/mL = 6.00 pmol/L) |
 * Other columns accept only their model unit (BMI kg/m², Age years, ...): a BMI given as a fraction or an Age in
 * months is caught by the file-level plausibility check, since no unit converts them exactly.
 */
export interface UnitDefinition {
  /** As written in messages and config, e.g. 'mmol/L'. */
  name: string;
  /** Also accepted in a header, once normalised (lower case, no spaces, µ or μ read as u). */
  aliases: readonly string[];
  multiplier: number;
  divisor: number;
}

const canonical = (name: string, ...aliases: string[]): UnitDefinition => ({
  name,
  aliases,
  multiplier: 1,
  divisor: 1,
});

export const ACCEPTED_UNITS: Record<FeatureName, readonly UnitDefinition[]> = {
  Pregnancies: [],
  Glucose: [canonical('mg/dL'), { name: 'mmol/L', aliases: [], multiplier: 18.016, divisor: 1 }],
  BloodPressure: [canonical('mm Hg', 'mmHg')],
  SkinThickness: [canonical('mm')],
  Insulin: [
    canonical('µU/mL', 'uU/mL', 'µIU/mL', 'uIU/mL', 'mU/L', 'mIU/L'),
    { name: 'pmol/L', aliases: [], multiplier: 1, divisor: 6 },
  ],
  BMI: [canonical('kg/m²', 'kg/m2')],
  DiabetesPedigreeFunction: [],
  Age: [canonical('years', 'year', 'y', 'yr', 'yrs')],
};

/** The units config may declare: the columns with more than one unit. */
export const CONFIGURABLE_UNITS = {
  Glucose: ['mg/dL', 'mmol/L'],
  Insulin: ['µU/mL', 'uU/mL', 'mU/L', 'pmol/L'],
} as const;
export type UnitsConfig = { [K in keyof typeof CONFIGURABLE_UNITS]?: (typeof CONFIGURABLE_UNITS)[K][number] };

/** A column's unit as the batch declared it, and how it was converted: recorded with the batch. */
export interface DeclaredUnit {
  column: FeatureName;
  /** The unit as the table above names it. */
  unit: string;
  /** Model value = source value * multiplier / divisor. */
  multiplier: number;
  divisor: number;
  declaredIn: 'header' | 'config';
}

/** Micro as µ (U+00B5) or μ (U+03BC), squared as ² (U+00B2); escaped, so that the bundles stay ASCII. */
function normaliseUnit(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[\u00b5\u03bc]/g, 'u')
    .replace(/\u00b2/g, '2');
}

/** The definition of `unit` for `column`, or null when the column does not accept it. */
export function findUnit(column: FeatureName, unit: string): UnitDefinition | null {
  const wanted = normaliseUnit(unit);
  return (
    ACCEPTED_UNITS[column].find(
      (u) => normaliseUnit(u.name) === wanted || u.aliases.some((a) => normaliseUnit(a) === wanted),
    ) ?? null
  );
}

/** What a header or config error says a column accepts. */
export function acceptedUnitsText(column: FeatureName): string {
  const units = ACCEPTED_UNITS[column];
  if (units.length === 0) return `${column} takes no unit`;
  return `${column} accepts ${units.map((u) => `${column} (${u.name})`).join(' or ')}`;
}

/** "Glucose (mmol/L)" -> name "Glucose", unit "mmol/L"; a name without a trailing "(...)" has unit null. */
export function splitHeaderUnit(source: string): { name: string; unit: string | null } {
  const match = /^(.*?)\(([^()]*)\)\s*$/.exec(source.trim());
  if (!match || match[1].trim() === '') return { name: source, unit: null };
  return { name: match[1], unit: match[2].trim() };
}

/** A unit that changes nothing need not be applied to every value. */
export function convertsValues(unit: DeclaredUnit): boolean {
  return unit.multiplier !== 1 || unit.divisor !== 1;
}

/** How a batch's units read in a summary: "Glucose in mmol/L (x 18.016, header)". Empty when none was declared. */
export function describeUnits(units: readonly DeclaredUnit[]): string {
  return units
    .map((u) => {
      const factor = u.divisor !== 1 ? `/ ${u.divisor}` : `x ${u.multiplier}`;
      return convertsValues(u)
        ? `${u.column} in ${u.unit} (converted to ${FEATURE_UNITS[u.column]} ${factor}, declared in the ${u.declaredIn})`
        : `${u.column} in ${u.unit} (declared in the ${u.declaredIn})`;
    })
    .join('; ');
}
