import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN, OUTCOME_COLUMN, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import {
  COLUMN_RULES,
  checkFeatureCell,
  checkPatientId,
  isImplausible,
  parseDecimal,
  RULE_DESCRIPTIONS,
  Z_SCORE_WARNING,
} from '../schema/rules';
import { type CsvLayout, NO_LAYOUT } from './csv-header';
import type { FeatureStats } from './ingest-options';
import type { ReportBuilder, RowError } from './report-builder';
import type { RowBuilder } from './row-builder';
import type { SeenIds } from './seen-ids';
import type { ValidationReport } from './validation-report';

const ZERO_IMPUTED = new Set<FeatureName>(ZERO_IMPUTE_COLUMNS);
// The rule table as arrays in FEATURE_COLUMNS order, for the per-cell hot loops. Every max is finite, so
// `value <= max` also refuses NaN and ±Infinity in both paths' quick checks.
export const RULE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].max);
export const RULE_INTEGER = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].integer);
export const RULE_PLAUSIBLE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMax);

/**
 * The data contract applied row by row, whichever path split the row: hard rules reject it, soft rules only warn,
 * and valid rows go into a RowBuilder. Also numbers the rows by their physical line, which both paths advance.
 */
export class RowValidator {
  /** Set once the header has been read. */
  layout: CsvLayout = NO_LAYOUT;
  /** The physical line the next row starts on; the header is line 1. */
  nextLine = 2;
  readonly training: boolean;
  /** The z-score reference in FEATURE_COLUMNS order (zeros without one), for the fast path's inline check. */
  readonly zMean: Float64Array;
  readonly zStd: Float64Array;
  readonly zeroImputed = FEATURE_COLUMNS.map((c) => ZERO_IMPUTED.has(c));

  constructor(
    readonly report: ValidationReport,
    readonly issues: ReportBuilder,
    private readonly seenIds: SeenIds,
    readonly maxLine: number,
    mode: 'batch' | 'training',
    readonly zScoreReference: FeatureStats | undefined,
  ) {
    this.training = mode === 'training';
    const z = zScoreReference;
    this.zMean = Float64Array.from(FEATURE_COLUMNS, (c) => (z ? z.mean[c] : 0));
    this.zStd = Float64Array.from(FEATURE_COLUMNS, (c) => (z ? z.std[c] : 0));
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

    for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
      const column = FEATURE_COLUMNS[f];
      const raw = fields[columnIndex[f]];
      // Fast path for the common valid cell; anything else goes through the full check for its rule and message.
      const value = raw === undefined ? Number.NaN : parseDecimal(raw, decimalComma);
      if (value >= 0 && value <= RULE_MAX[f] && (!RULE_INTEGER[f] || Number.isInteger(value))) {
        featureColumns[f][kept] = value;
        continue;
      }
      const check = checkFeatureCell(column, raw, decimalComma);
      if (check.ok) featureColumns[f][kept] = check.value;
      else rowErrors.push({ column, value: raw ?? '', rule: check.rule, message: `${column}: ${check.message}` });
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

  /** The implausible-value and z-score warnings of a valid row (value row `k` of `columns`); true if any. */
  softWarnings(line: number, reportedId: string | null, columns: Float64Array[], k: number): boolean {
    const zRef = this.zScoreReference;
    let warned = false;
    for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
      const value = columns[f][k];
      if (value <= RULE_PLAUSIBLE_MAX[f] && !zRef) continue;
      const column = FEATURE_COLUMNS[f];
      if (isImplausible(column, value)) {
        this.issues.warn(line, reportedId, column, String(value), 'implausible');
        warned = true;
      } else if (zRef && !(value === 0 && ZERO_IMPUTED.has(column))) {
        const std = zRef.std[column];
        if (std > 0 && Math.abs(value - zRef.mean[column]) / std > Z_SCORE_WARNING) {
          this.issues.warn(line, reportedId, column, String(value), 'z_score');
          warned = true;
        }
      }
    }
    return warned;
  }

  /** Records the id; warns (true) when it was seen on an earlier line. */
  duplicateWarning(line: number, id: string): boolean {
    const firstLine = this.seenIds.firstLineOrAdd(id, line);
    if (firstLine === 0) return false;
    this.issues.warn(line, id, ID_COLUMN, id, 'duplicate_id', `first seen on line ${firstLine}`);
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
