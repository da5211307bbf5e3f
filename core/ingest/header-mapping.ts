import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN, OUTCOME_COLUMN } from '../schema/columns';
import { splitHeaderUnit } from '../schema/units';
import type { HeaderMapping } from './validation-report';

/**
 * "Blood Pressure", " bloodpressure ", "blood_pressure" all match BloodPressure. Every whitespace character (\s is
 * the set trim() removes) and underscore goes, one at a time, so no separate trim or run quantifier is needed.
 */
export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_]/g, '');
}

const CONTRACT_COLUMNS = [ID_COLUMN, ...FEATURE_COLUMNS, OUTCOME_COLUMN] as const;
const BY_NORMALISED = new Map<string, string>(CONTRACT_COLUMNS.map((c) => [normaliseHeader(c), c]));
const FEATURES = new Set<string>(FEATURE_COLUMNS);

interface ResolvedHeader {
  /** Field index of each contract column found, by its canonical name. */
  indexOf: Map<string, number>;
  mapping: HeaderMapping[];
  /** The unit written after a feature's name ("Glucose (mmol/L)"), as written; not yet checked. */
  units: Map<FeatureName, string>;
  ignored: string[];
  /**
   * Contract columns named more than once once normalised, as written. Other repeated names are only counted:
   * they are not contract text and may be patient data.
   */
  duplicates: string[];
  otherDuplicates: number;
}

export function resolveHeader(fields: string[]): ResolvedHeader {
  const indexOf = new Map<string, number>();
  const mapping: HeaderMapping[] = [];
  const ignored: string[] = [];
  const units = new Map<FeatureName, string>();
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  let otherDuplicates = 0;
  fields.forEach((source, index) => {
    const normalised = normaliseHeader(source);
    if (normalised === '') return;
    let column = BY_NORMALISED.get(normalised);
    let unit: string | null = null;
    if (column === undefined) {
      const split = splitHeaderUnit(source);
      const named = split.unit === null ? undefined : BY_NORMALISED.get(normaliseHeader(split.name));
      if (named !== undefined && FEATURES.has(named)) {
        column = named;
        unit = split.unit;
      }
    }
    // A contract column is one column however it is written: "Glucose" and "Glucose (mmol/L)" are duplicates.
    const key = column ?? normalised;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (column === undefined) otherDuplicates++;
      else duplicates.push(earlier === source ? source : `${earlier} / ${source}`);
      return;
    }
    seen.set(key, source);
    if (column === undefined) {
      ignored.push(source);
      return;
    }
    if (unit !== null) units.set(column as FeatureName, unit);
    indexOf.set(column, index);
    mapping.push({ source, column });
  });
  return { indexOf, mapping, units, ignored, duplicates, otherDuplicates };
}
