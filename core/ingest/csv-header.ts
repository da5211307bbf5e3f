import Papa from 'papaparse';
import { FEATURE_COLUMNS, ID_COLUMN, OUTCOME_COLUMN } from '../schema/columns';
import { capValue } from '../schema/rules';
import { acceptedUnitsText, type DeclaredUnit, findUnit, type UnitsConfig } from '../schema/units';
import { type Delimiter, detectDelimiter, type Newline } from './csv-dialect';
import { resolveHeader } from './header-mapping';
import { rejectFile, type ValidationReport } from './validation-report';

/** Names of ignored columns kept in the report; the rest are only counted. */
const MAX_LISTED_IGNORED_COLUMNS = 50;

/** Roles of a CSV column in the fast path (>= 0: the index of a feature in FEATURE_COLUMNS). */
export const ROLE_IGNORED = -1;
export const ROLE_ID = -2;
export const ROLE_OUTCOME = -3;

/** What the header line tells about the rows below it. */
export interface CsvLayout {
  delimiter: Delimiter;
  newline: Newline;
  /** Fields in the header, which every row should have. */
  headerLength: number;
  /** Per feature (FEATURE_COLUMNS order): its field index. */
  columnIndex: number[];
  /** Field index of the patient id, or -1 when the file has none (training data). */
  idIndex: number;
  /** Field index of the outcome in training mode, otherwise -1. */
  outcomeIndex: number;
  /** Per field: ROLE_* or the feature index. */
  roles: Int32Array;
  /** Per feature (FEATURE_COLUMNS order): a value as read becomes value * unitMultiplier / unitDivisor. */
  unitMultiplier: Float64Array;
  unitDivisor: Float64Array;
  /** Some feature's declared unit is not the model's: values are converted. */
  converts: boolean;
}

/** The layout before a header has been read. */
export const NO_LAYOUT: CsvLayout = {
  delimiter: ',',
  newline: '\n',
  headerLength: 0,
  columnIndex: [],
  idIndex: -1,
  outcomeIndex: -1,
  roles: new Int32Array(0),
  unitMultiplier: new Float64Array(FEATURE_COLUMNS.length).fill(1),
  unitDivisor: new Float64Array(FEATURE_COLUMNS.length).fill(1),
  converts: false,
};

/**
 * Detects the delimiter, maps the header (line ending included) to the contract's columns and records both in the
 * report; null (and a rejected report) when the header is unusable.
 */
export function readCsvHeader(
  report: ValidationReport,
  headerText: string,
  newline: Newline,
  mode: 'batch' | 'training',
  configUnits: UnitsConfig = {},
): CsvLayout | null {
  const line = headerText.endsWith(newline) ? headerText.slice(0, -newline.length) : headerText;
  const delimiter = detectDelimiter(line);
  report.delimiter = delimiter;
  report.decimalComma = delimiter !== ',';
  const parsed = new Papa.Parser({ delimiter, newline }).parse(line, 0, false);
  const fields = (parsed.data[0] as string[] | undefined) ?? [];
  if (line.trim() === '' || fields.every((f) => f.trim() === '')) {
    rejectFile(report, 'missing_columns', `has no column names in its header (line 1)`);
    return null;
  }
  const header = resolveHeader(fields);
  // Header text is capped like values: a "header" can be a whole file of patient data read as one line.
  report.headerMapping = header.mapping.map((m) => ({ source: capValue(m.source), column: m.column }));
  report.ignoredColumns = header.ignored.slice(0, MAX_LISTED_IGNORED_COLUMNS).map(capValue);
  report.ignoredColumnCount = header.ignored.length;
  if (header.duplicates.length > 0 || header.otherDuplicates > 0) {
    const named = header.duplicates.map(capValue);
    const others = header.otherDuplicates;
    if (others > 0) named.push(`${others} other column name${others > 1 ? 's' : ''}`);
    rejectFile(report, 'duplicate_headers', `has duplicate column names: ${named.join(', ')}`);
    return null;
  }
  const required: string[] = [...FEATURE_COLUMNS];
  if (mode === 'batch') required.unshift(ID_COLUMN);
  else required.push(OUTCOME_COLUMN);
  const missing = required.filter((c) => !header.indexOf.has(c));
  if (missing.length > 0) {
    // Counts only: the header's own text may be patient data (a file whose line ends were not recognised).
    rejectFile(
      report,
      'missing_columns',
      `is missing the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (its header line has ${fields.length} column${fields.length === 1 ? '' : 's'}, ${header.mapping.length} of them recognised)`,
    );
    return null;
  }
  const unitMultiplier = new Float64Array(FEATURE_COLUMNS.length).fill(1);
  const unitDivisor = new Float64Array(FEATURE_COLUMNS.length).fill(1);
  for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
    const column = FEATURE_COLUMNS[f];
    const written = header.units.get(column);
    // The header speaks for this file; the configuration only for columns whose header says nothing.
    const declared = written ?? (configUnits as Partial<Record<string, string>>)[column];
    if (declared === undefined) continue;
    const unit = findUnit(column, declared);
    if (unit === null) {
      rejectFile(
        report,
        'unknown_unit',
        `column ${column} is declared in an unknown unit "${capValue(declared)}"${written === undefined ? ' (in the configuration)' : ''}; ${acceptedUnitsText(column)}`,
      );
      return null;
    }
    const declaredUnit: DeclaredUnit = {
      column,
      unit: unit.name,
      multiplier: unit.multiplier,
      divisor: unit.divisor,
      declaredIn: written === undefined ? 'config' : 'header',
    };
    report.units.push(declaredUnit);
    unitMultiplier[f] = unit.multiplier;
    unitDivisor[f] = unit.divisor;
  }
  const converts = unitMultiplier.some((m) => m !== 1) || unitDivisor.some((d) => d !== 1);
  const headerLength = fields.length;
  const columnIndex = FEATURE_COLUMNS.map((c) => header.indexOf.get(c) as number);
  const idIndex = header.indexOf.get(ID_COLUMN) ?? -1;
  const outcomeIndex = mode === 'training' ? (header.indexOf.get(OUTCOME_COLUMN) ?? -1) : -1;
  const roles = new Int32Array(headerLength).fill(ROLE_IGNORED);
  columnIndex.forEach((column, f) => {
    roles[column] = f;
  });
  if (idIndex >= 0) roles[idIndex] = ROLE_ID;
  if (outcomeIndex >= 0) roles[outcomeIndex] = ROLE_OUTCOME;
  return {
    delimiter,
    newline,
    headerLength,
    columnIndex,
    idIndex,
    outcomeIndex,
    roles,
    unitMultiplier,
    unitDivisor,
    converts,
  };
}
