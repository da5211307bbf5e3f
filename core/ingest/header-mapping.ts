import { FEATURE_COLUMNS, ID_COLUMN, OUTCOME_COLUMN } from '../schema/columns';
import type { HeaderMapping } from './validation-report';

/** "Blood Pressure", " bloodpressure ", "blood_pressure" all match BloodPressure. */
export function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
}

const CONTRACT_COLUMNS = [ID_COLUMN, ...FEATURE_COLUMNS, OUTCOME_COLUMN] as const;
const BY_NORMALISED = new Map<string, string>(CONTRACT_COLUMNS.map((c) => [normaliseHeader(c), c]));

interface ResolvedHeader {
  /** Field index of each contract column found, by its canonical name. */
  indexOf: Map<string, number>;
  mapping: HeaderMapping[];
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
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  let otherDuplicates = 0;
  fields.forEach((source, index) => {
    const normalised = normaliseHeader(source);
    if (normalised === '') return;
    const earlier = seen.get(normalised);
    const column = BY_NORMALISED.get(normalised);
    if (earlier !== undefined) {
      if (column === undefined) otherDuplicates++;
      else duplicates.push(earlier === source ? source : `${earlier} / ${source}`);
      return;
    }
    seen.set(normalised, source);
    if (column === undefined) {
      ignored.push(source);
      return;
    }
    indexOf.set(column, index);
    mapping.push({ source, column });
  });
  return { indexOf, mapping, ignored, duplicates, otherDuplicates };
}
