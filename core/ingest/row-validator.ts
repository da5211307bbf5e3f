import { FEATURE_COLUMNS, FEATURE_UNITS, ID_COLUMN, OUTCOME_COLUMN } from '../schema/columns';
import {
  COLUMN_RULES,
  checkFeatureValue,
  checkPatientId,
  implausibleMessage,
  outsideTrainingMessage,
  parseDecimal,
  RULE_DESCRIPTIONS,
  TRAINING_RANGE_MARGIN,
  zeroMeansMissing,
} from '../schema/rules';
import { type CsvLayout, NO_LAYOUT } from './csv-header';
import { PlausibilityTally } from './file-plausibility';
import type { FeatureRange } from './ingest-options';
import type { ReportBuilder, RowError } from './report-builder';
import type { RowBuilder } from './row-builder';
import type { SeenIds } from './seen-ids';
import type { ValidationReport } from './validation-report';

// The rule table as arrays in FEATURE_COLUMNS order, for the per-cell hot loops. Every max is finite, so
// `value <= max` also refuses NaN and ±Infinity in both paths' quick checks.
export const RULE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].max);
export const RULE_INTEGER = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].integer);
export const RULE_PLAUSIBLE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMax);
export const RULE_PLAUSIBLE_MIN = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMin);
const ZERO_MISSING = FEATURE_COLUMNS.map((c) => zeroMeansMissing(c));

/**
 * The data contract applied row by row, whichever path split the row: hard rules reject it, soft rules only warn,
 * and valid rows go into a RowBuilder. Also numbers the rows by their physical line, which both paths advance.
 */
export class RowValidator {
  /** Set once the header has been read (setLayout). */
  layout: CsvLayout = NO_LAYOUT;
  /** The physical line the next row starts on; the header is line 1. */
  nextLine = 2;
  readonly training: boolean;
  /**
   * Per feature (FEATURE_COLUMNS order): a present value outside [warnLow, warnHigh] earns a warning, the
   * plausible range or the training range, whichever is tighter, for the fast path's inline check.
   */
  readonly warnLow: Float64Array;
  readonly warnHigh: Float64Array;
  /** The far-outside-training bounds, NaN-free (±Infinity without a training range). */
  private readonly trainingLow: Float64Array;
  private readonly trainingHigh: Float64Array;
  readonly zeroMissing = ZERO_MISSING;
  /** The file-level plausibility counts: valid rows are added by chunk, rejected rows' numbers here. */
  readonly tally = new PlausibilityTally();
  private implausibleText: string[] = FEATURE_COLUMNS.map((c) => implausibleMessage(c));
  private readonly trainingText: string[];
  private readonly rangeSuffix: string[] = FEATURE_COLUMNS.map(() => '');
  /** The current row's values in model units (NaN where a cell is not a number), scratch for the tally. */
  private readonly rowValues = new Float64Array(FEATURE_COLUMNS.length);

  constructor(
    readonly report: ValidationReport,
    readonly issues: ReportBuilder,
    private readonly seenIds: SeenIds,
    readonly maxLine: number,
    mode: 'batch' | 'training',
    trainingRange: FeatureRange | undefined,
  ) {
    this.training = mode === 'training';
    const r = trainingRange;
    const span = (c: (typeof FEATURE_COLUMNS)[number]) => (r ? (r.max[c] - r.min[c]) * TRAINING_RANGE_MARGIN : 0);
    this.trainingLow = Float64Array.from(FEATURE_COLUMNS, (c) => (r ? r.min[c] - span(c) : Number.NEGATIVE_INFINITY));
    this.trainingHigh = Float64Array.from(FEATURE_COLUMNS, (c) => (r ? r.max[c] + span(c) : Number.POSITIVE_INFINITY));
    this.warnLow = Float64Array.from(FEATURE_COLUMNS, (_, f) => Math.max(RULE_PLAUSIBLE_MIN[f], this.trainingLow[f]));
    this.warnHigh = Float64Array.from(FEATURE_COLUMNS, (_, f) => Math.min(RULE_PLAUSIBLE_MAX[f], this.trainingHigh[f]));
    this.trainingText = FEATURE_COLUMNS.map((c) => (r ? outsideTrainingMessage(c, r.min[c], r.max[c]) : ''));
  }

  /** The header's layout; a converted column's warnings then name the unit the file declared. */
  setLayout(layout: CsvLayout): void {
    this.layout = layout;
    for (const unit of this.report.units) {
      const f = FEATURE_COLUMNS.indexOf(unit.column);
      if (unit.unit === FEATURE_UNITS[unit.column]) continue;
      this.implausibleText[f] = implausibleMessage(unit.column, unit.unit);
      this.rangeSuffix[f] = ` ${FEATURE_UNITS[unit.column]} (the value converted from ${unit.unit})`;
    }
  }

  /** Every rule for one row; a valid row is added to `builder`. */
  checkRow(fields: string[], line: number, malformed: boolean, builder: RowBuilder): void {
    if (fields.length === 1 && fields[0].trim() === '') return;
    this.report.rowsRead++;
    const { headerLength, idIndex, columnIndex, outcomeIndex } = this.layout;
    const rowErrors: RowError[] = [];
    const last = fields.length - 1;
    if (fields[last].endsWith('\r')) fields[last] = fields[last].slice(0, -1);
    builder.checkRoom();
    const kept = builder.kept;
    const featureColumns = builder.columns;
    const decimalComma = this.report.decimalComma;
    const rowValues = this.rowValues;

    if (malformed) {
      rowErrors.push({ column: '(row)', value: '', rule: 'malformed_csv', message: RULE_DESCRIPTIONS.malformed_csv });
    } else if (fields.length !== headerLength && !onlyBlankExtras(fields, headerLength)) {
      rowErrors.push({
        column: '(row)',
        value: `${fields.length} fields`,
        rule: 'field_count',
        message: `${RULE_DESCRIPTIONS.field_count} (${fields.length} instead of ${headerLength})`,
      });
    }

    let id: string;
    let reportedId: string | null;
    if (idIndex >= 0) {
      const idCheck = checkPatientId(fields[idIndex]);
      if (idCheck.ok) {
        id = idCheck.id;
        reportedId = id;
      } else {
        id = '';
        reportedId = null;
        const raw = fields[idIndex] ?? '';
        rowErrors.push({
          column: ID_COLUMN,
          value: idCheck.rule === 'id_too_long' ? `${raw.slice(0, 64)}…` : raw,
          rule: idCheck.rule,
          message: RULE_DESCRIPTIONS[idCheck.rule],
        });
      }
    } else {
      id = `row-${line}`;
      reportedId = null;
    }

    const { unitMultiplier, unitDivisor } = this.layout;
    for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
      const column = FEATURE_COLUMNS[f];
      const raw = fields[columnIndex[f]];
      // Converted to model units before any rule, exactly as the fast path converts (the same two operations).
      const value =
        raw === undefined ? Number.NaN : (parseDecimal(raw, decimalComma) * unitMultiplier[f]) / unitDivisor[f];
      rowValues[f] = value;
      // Fast path for the common valid cell; anything else goes through the full check for its rule and message.
      if (value >= 0 && value <= RULE_MAX[f] && (!RULE_INTEGER[f] || Number.isInteger(value))) {
        featureColumns[f][kept] = value;
        continue;
      }
      if (raw === undefined || raw.trim() === '') {
        rowErrors.push({
          column,
          value: raw ?? '',
          rule: 'missing',
          message: `${column}: ${RULE_DESCRIPTIONS.missing}`,
        });
        continue;
      }
      const check = checkFeatureValue(column, value);
      if (check.ok) featureColumns[f][kept] = check.value;
      else {
        const suffix = check.rule === 'out_of_range' ? this.rangeSuffix[f] : '';
        rowErrors.push({ column, value: raw, rule: check.rule, message: `${column}: ${check.message}${suffix}` });
      }
    }
    if (builder.outcome) {
      const raw = (fields[outcomeIndex] ?? '').trim();
      if (raw === '0' || raw === '1') builder.outcome[kept] = raw === '1' ? 1 : 0;
      else
        rowErrors.push({
          column: OUTCOME_COLUMN,
          value: raw,
          rule: 'outcome_not_binary',
          message: RULE_DESCRIPTIONS.outcome_not_binary,
        });
    }

    if (rowErrors.length > 0) {
      // A rejected row's numbers still count towards the file's plausibility: an Age in months rejects every row.
      for (let f = 0; f < FEATURE_COLUMNS.length; f++) this.tally.add(f, rowValues[f]);
      this.issues.rejectRow(line, reportedId, rowErrors);
      return;
    }

    // The row is valid: soft rules only warn.
    let warned = this.softWarnings(line, reportedId, featureColumns, kept);
    if (reportedId !== null) warned = this.duplicateWarning(line, id) || warned;
    if (warned) this.report.rowsWithWarnings++;
    builder.ids.push(id);
    builder.lineNumbers[kept] = line;
    builder.kept++;
    this.report.rowsValid++;
  }

  /** The implausible-value and far-outside-training warnings of a valid row (row `k` of `columns`); true if any. */
  softWarnings(line: number, reportedId: string | null, columns: Float64Array[], k: number): boolean {
    let warned = false;
    for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
      const value = columns[f][k];
      if ((value >= this.warnLow[f] && value <= this.warnHigh[f]) || (value === 0 && ZERO_MISSING[f])) continue;
      const column = FEATURE_COLUMNS[f];
      if (value < RULE_PLAUSIBLE_MIN[f] || value > RULE_PLAUSIBLE_MAX[f]) {
        this.issues.warn(line, reportedId, column, String(value), 'implausible', this.implausibleText[f]);
        warned = true;
      } else if (value < this.trainingLow[f] || value > this.trainingHigh[f]) {
        this.issues.warn(line, reportedId, column, String(value), 'outside_training_range', this.trainingText[f]);
        warned = true;
      }
    }
    return warned;
  }

  /** Records the id; warns (true) when it was seen on an earlier line. */
  duplicateWarning(line: number, id: string): boolean {
    const firstLine = this.seenIds.firstLineOrAdd(id, line);
    if (firstLine === 0) return false;
    this.issues.warn(
      line,
      id,
      ID_COLUMN,
      id,
      'duplicate_id',
      `${RULE_DESCRIPTIONS.duplicate_id} (first seen on line ${firstLine})`,
    );
    return true;
  }

  /** Rejects a line longer than maxLine; the reader skips to its end and reads on. */
  rejectLongLine(line: number): void {
    this.rejectLong(
      line,
      'line_too_long',
      `line ${line} is longer than ${this.maxLine} characters; it is skipped and the next line is read`,
    );
  }

  /**
   * Rejects a row whose quoted field opened before the length limit and never closed: papaparse takes the rest of
   * the file into that field, so nothing after it is read.
   */
  rejectUnclosedQuote(line: number): void {
    this.rejectLong(
      line,
      'malformed_csv',
      `a quoted field in the row starting on line ${line} never closes (an unclosed quote?); the row is longer than ${this.maxLine} characters, and the rest of the file from line ${line} is inside it and not read`,
    );
  }

  /** One rejected row for an overlong line or quote; no value, since none of it was parsed. */
  rejectLong(line: number, rule: 'line_too_long' | 'malformed_csv', message: string): void {
    this.report.rowsRead++;
    this.issues.rejectRow(line, null, [{ column: '(row)', value: '', rule, message }]);
  }
}

function onlyBlankExtras(fields: string[], headerLength: number): boolean {
  if (fields.length < headerLength) return false;
  for (let i = headerLength; i < fields.length; i++) if (fields[i].trim() !== '') return false;
  return true;
}
