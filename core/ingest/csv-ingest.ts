import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN, OUTCOME_COLUMN, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import {
  COLUMN_RULES,
  checkFeatureCell,
  checkPatientId,
  type HardRule,
  isImplausible,
  parseDecimal,
  RULE_DESCRIPTIONS,
  type RuleCode,
  type SoftRule,
  Z_SCORE_WARNING,
} from '../schema/rules';
import { concatTables } from '../table/concat-tables';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { resolveHeader } from './header-mapping';
import { SeenIds } from './seen-ids';
import {
  DEFAULT_MAX_LISTED_ISSUES,
  emptyReport,
  type RowIssue,
  rejectFile,
  type ValidationReport,
} from './validation-report';

/** Training means and population standard deviations of the raw features, for the z-score warning. */
export interface FeatureStats {
  mean: Record<FeatureName, number>;
  std: Record<FeatureName, number>;
}

export interface CsvIngestOptions {
  mode: 'batch' | 'training';
  zScoreReference?: FeatureStats;
  /** Name shown in messages; the file's base name by default (never a full path with user folders in it). */
  displayName?: string;
  maxListedIssues?: number;
  /** Bytes per read; small values exercise chunk boundaries in tests. */
  readChunkBytes?: number;
}

/**
 * Bytes per read. 256 KiB (about 6,000 rows) measured faster and leaner than 1 MiB on 1,000,000 rows: 1.5-1.8 s and
 * ~170 MB peak RSS against 2.2 s and ~230 MB, since each chunk's parsed strings die young.
 */
const DEFAULT_READ_BYTES = 1 << 18;
const DELIMITERS = [',', ';', '\t'] as const;
type Delimiter = (typeof DELIMITERS)[number];
const ZERO_IMPUTED = new Set<FeatureName>(ZERO_IMPUTE_COLUMNS);
// The rule table as arrays in FEATURE_COLUMNS order, for the per-cell hot loop.
const RULE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].max);
const RULE_INTEGER = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].integer);
const RULE_PLAUSIBLE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMax);

/**
 * Streaming CSV ingest: reads the file in chunks (never whole), validates every row against the data contract,
 * and yields the valid rows as columnar PatientTable chunks. The report is complete once `chunks()` has finished.
 * If the report ends up rejected (a file-level error found late, e.g. invalid UTF-8 at the end), the caller must
 * discard whatever it did with earlier chunks: the store's batch transaction does exactly that.
 */
export class CsvIngest {
  readonly report: ValidationReport;
  /** sha256 of the bytes actually read; set when chunks() completes. */
  sha256: string | null = null;
  private readonly maxListed: number;
  private readonly seenIds = new SeenIds();
  private columnIndex: number[] = [];
  private idIndex = -1;
  private outcomeIndex = -1;
  private headerLength = 0;
  private delimiter: Delimiter = ',';
  private newline: '\n' | '\r\n' = '\n';
  private nextLine = 2;

  constructor(
    private readonly path: string,
    private readonly options: CsvIngestOptions,
  ) {
    this.report = emptyReport(options.displayName ?? basename(path), options.mode);
    this.maxListed = options.maxListedIssues ?? DEFAULT_MAX_LISTED_ISSUES;
  }

  async *chunks(): AsyncGenerator<PatientTable> {
    const hash = createHash('sha256');
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let pending = '';
    let headerDone = false;
    let first = true;
    let stream: AsyncIterable<Buffer>;
    try {
      stream = createReadStream(this.path, { highWaterMark: this.options.readChunkBytes ?? DEFAULT_READ_BYTES });
    } catch (error) {
      rejectFile(this.report, 'unreadable', `cannot be read (${(error as Error).message})`);
      return;
    }
    try {
      for await (const buffer of stream) {
        hash.update(buffer);
        if (buffer.includes(0)) {
          rejectFile(this.report, 'binary', 'is a binary file, not a CSV text file (it contains NUL bytes)');
          return;
        }
        let text: string;
        try {
          text = decoder.decode(buffer, { stream: true });
        } catch {
          rejectFile(this.report, 'not_utf8', 'is not valid UTF-8 text; save it as "CSV UTF-8" and try again');
          return;
        }
        if (first) {
          first = false;
          if (text.charCodeAt(0) === 0xfeff) {
            this.report.hadByteOrderMark = true;
            text = text.slice(1);
          }
        }
        pending += text;
        if (!headerDone) {
          const end = pending.indexOf('\n');
          // A file of nothing but blank lines is "empty", which only the end of the file can tell.
          if (end < 0 || pending.trim() === '') continue;
          if (!this.readHeader(pending.slice(0, end + 1))) return;
          headerDone = true;
          pending = pending.slice(end + 1);
        }
        const table = this.parseRows(pending, false);
        pending = pending.slice(table.consumed);
        if (table.rows.rowCount > 0) yield table.rows;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      rejectFile(this.report, 'unreadable', `cannot be read (${code ?? (error as Error).message})`);
      return;
    }
    try {
      pending += decoder.decode();
    } catch {
      rejectFile(this.report, 'not_utf8', 'is not valid UTF-8 text (it ends inside a multi-byte character)');
      return;
    }
    if (first && pending === '') {
      rejectFile(this.report, 'empty', 'is empty');
      return;
    }
    if (!headerDone) {
      if (pending.trim() === '') {
        rejectFile(this.report, 'empty', 'is empty');
        return;
      }
      if (!this.readHeader(pending)) return;
      pending = '';
    }
    const last = this.parseRows(pending, true);
    if (last.rows.rowCount > 0) yield last.rows;
    this.sha256 = hash.digest('hex');
    if (this.report.rowsRead === 0) {
      rejectFile(this.report, 'header_only', 'has a header but no data rows');
    }
  }

  /** Detects the delimiter and line ending, maps the header; false (and a rejected report) when unusable. */
  private readHeader(headerText: string): boolean {
    this.newline = headerText.endsWith('\r\n') ? '\r\n' : '\n';
    const line = headerText.replace(/\r?\n$/, '');
    this.delimiter = detectDelimiter(line);
    this.report.delimiter = this.delimiter;
    this.report.decimalComma = this.delimiter !== ',';
    const parsed = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline }).parse(line, 0, false);
    const fields = (parsed.data[0] as string[] | undefined) ?? [];
    if (line.trim() === '' || fields.every((f) => f.trim() === '')) {
      rejectFile(this.report, 'missing_columns', `has no column names in its header (line 1)`);
      return false;
    }
    const header = resolveHeader(fields);
    this.report.headerMapping = header.mapping;
    this.report.ignoredColumns = header.ignored;
    if (header.duplicates.length > 0) {
      rejectFile(this.report, 'duplicate_headers', `has duplicate column names: ${header.duplicates.join(', ')}`);
      return false;
    }
    const required: string[] = [...FEATURE_COLUMNS];
    if (this.options.mode === 'batch') required.unshift(ID_COLUMN);
    else required.push(OUTCOME_COLUMN);
    const missing = required.filter((c) => !header.indexOf.has(c));
    if (missing.length > 0) {
      const found = fields.filter((f) => f.trim() !== '').join(', ') || '(none)';
      rejectFile(
        this.report,
        'missing_columns',
        `is missing the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header has: ${found})`,
      );
      return false;
    }
    this.headerLength = fields.length;
    this.columnIndex = FEATURE_COLUMNS.map((c) => header.indexOf.get(c) as number);
    this.idIndex = header.indexOf.get(ID_COLUMN) ?? -1;
    this.outcomeIndex = header.indexOf.get(OUTCOME_COLUMN) ?? -1;
    return true;
  }

  /** Parses complete rows of `text` (all of it when final) into a table of the valid ones. */
  private parseRows(text: string, final: boolean): { rows: PatientTable; consumed: number } {
    const parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' });
    const result = parser.parse(text, 0, !final);
    const data = result.data as string[][];
    const consumed = final ? text.length : result.meta.cursor;
    const malformedRows = new Set<number>();
    for (const e of result.errors) if (typeof e.row === 'number') malformedRows.add(e.row);
    const embeddedNewlines = countNewlines(text, consumed) !== data.length - (final && !endsWithNewline(text) ? 1 : 0);

    const n = data.length;
    const features = emptyFeatureColumns(n);
    const ids: string[] = [];
    const lineNumbers = new Uint32Array(n);
    const outcome = this.options.mode === 'training' ? new Uint8Array(n) : null;
    const featureColumns = FEATURE_COLUMNS.map((c) => features[c]);
    const zRef = this.options.zScoreReference;
    const decimalComma = this.report.decimalComma;
    let kept = 0;
    const rowErrors: { column: string; value: string; rule: HardRule; message: string }[] = [];

    for (let r = 0; r < n; r++) {
      const fields = data[r];
      const line = this.nextLine;
      this.nextLine += embeddedNewlines ? 1 + newlinesInside(fields) : 1;
      if (fields.length === 1 && fields[0].trim() === '') continue;
      this.report.rowsRead++;
      rowErrors.length = 0;
      const last = fields.length - 1;
      if (fields[last].endsWith('\r')) fields[last] = fields[last].slice(0, -1);

      if (malformedRows.has(r)) {
        rowErrors.push({ column: '(row)', value: '', rule: 'malformed_csv', message: RULE_DESCRIPTIONS.malformed_csv });
      } else if (fields.length !== this.headerLength && !onlyBlankExtras(fields, this.headerLength)) {
        rowErrors.push({
          column: '(row)',
          value: `${fields.length} fields`,
          rule: 'field_count',
          message: `${RULE_DESCRIPTIONS.field_count} (${fields.length} instead of ${this.headerLength})`,
        });
      }

      let id: string;
      let reportedId: string | null;
      if (this.idIndex >= 0) {
        const idCheck = checkPatientId(fields[this.idIndex]);
        if (idCheck.ok) {
          id = idCheck.id;
          reportedId = id;
        } else {
          id = '';
          reportedId = null;
          const raw = fields[this.idIndex] ?? '';
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
        const raw = fields[this.columnIndex[f]];
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
      if (outcome) {
        const raw = (fields[this.outcomeIndex] ?? '').trim();
        if (raw === '0' || raw === '1') outcome[kept] = raw === '1' ? 1 : 0;
        else
          rowErrors.push({
            column: OUTCOME_COLUMN,
            value: raw,
            rule: 'outcome_not_binary',
            message: RULE_DESCRIPTIONS.outcome_not_binary,
          });
      }

      if (rowErrors.length > 0) {
        this.rejectRow(line, reportedId, rowErrors);
        continue;
      }

      // The row is valid: soft rules only warn.
      let warned = false;
      for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
        const value = featureColumns[f][kept];
        if (value <= RULE_PLAUSIBLE_MAX[f] && !zRef) continue;
        const column = FEATURE_COLUMNS[f];
        if (isImplausible(column, value)) {
          this.warn(line, reportedId, column, String(value), 'implausible');
          warned = true;
        } else if (zRef && !(value === 0 && ZERO_IMPUTED.has(column))) {
          const std = zRef.std[column];
          if (std > 0 && Math.abs(value - zRef.mean[column]) / std > Z_SCORE_WARNING) {
            this.warn(line, reportedId, column, String(value), 'z_score');
            warned = true;
          }
        }
      }
      if (reportedId !== null) {
        const firstLine = this.seenIds.firstLineOrAdd(id, line);
        if (firstLine !== 0) {
          this.warn(line, reportedId, ID_COLUMN, id, 'duplicate_id', `first seen on line ${firstLine}`);
          warned = true;
        }
      }
      if (warned) this.report.rowsWithWarnings++;
      ids.push(id);
      lineNumbers[kept] = line;
      kept++;
      this.report.rowsValid++;
    }

    const trimmed = emptyFeatureColumns(0);
    for (const c of FEATURE_COLUMNS) trimmed[c] = features[c].subarray(0, kept);
    return {
      rows: {
        rowCount: kept,
        ids,
        lineNumbers: lineNumbers.subarray(0, kept),
        features: trimmed,
        outcome: outcome ? outcome.subarray(0, kept) : null,
      },
      consumed,
    };
  }

  private rejectRow(
    line: number,
    patientId: string | null,
    errors: { column: string; value: string; rule: HardRule; message: string }[],
  ): void {
    this.report.rowsRejected++;
    const counted = new Set<RuleCode>();
    for (const e of errors) {
      if (!counted.has(e.rule)) {
        counted.add(e.rule);
        this.report.rejectedByRule[e.rule] = (this.report.rejectedByRule[e.rule] ?? 0) + 1;
      }
      this.list(this.report.errors, { line, patientId, ...e, severity: 'error' }, 'unlistedErrors');
    }
  }

  private warn(
    line: number,
    patientId: string | null,
    column: string,
    value: string,
    rule: SoftRule,
    detail?: string,
  ): void {
    this.report.warningsByRule[rule] = (this.report.warningsByRule[rule] ?? 0) + 1;
    const message = `${column === ID_COLUMN ? '' : `${column}: `}${RULE_DESCRIPTIONS[rule]}${detail ? ` (${detail})` : ''}`;
    this.list(
      this.report.warnings,
      { line, patientId, column, value, rule, severity: 'warning', message },
      'unlistedWarnings',
    );
  }

  private list(target: RowIssue[], issue: RowIssue, overflow: 'unlistedErrors' | 'unlistedWarnings'): void {
    if (target.length < this.maxListed) target.push(issue);
    else this.report[overflow]++;
  }
}

export type IngestResult =
  | { ok: true; table: PatientTable; report: ValidationReport; sha256: string }
  | { ok: false; report: ValidationReport };

/** Reads a whole file into one table (still streamed from disk). For training data and small batches. */
export async function ingestCsvFile(path: string, options: CsvIngestOptions): Promise<IngestResult> {
  const ingest = new CsvIngest(path, options);
  const parts: PatientTable[] = [];
  for await (const chunk of ingest.chunks()) parts.push(chunk);
  if (ingest.report.status === 'rejected' || ingest.sha256 === null) return { ok: false, report: ingest.report };
  return {
    ok: true,
    table: concatTables(parts, options.mode === 'training'),
    report: ingest.report,
    sha256: ingest.sha256,
  };
}

/** The candidate that splits the header into the most fields, counting outside quotes; ',' when none occurs. */
export function detectDelimiter(headerLine: string): Delimiter {
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (let i = 0; i < headerLine.length; i++) {
      const c = headerLine[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  let i = text.indexOf('\n');
  while (i >= 0 && i < end) {
    count++;
    i = text.indexOf('\n', i + 1);
  }
  return count;
}

function endsWithNewline(text: string): boolean {
  return text.endsWith('\n');
}

function newlinesInside(fields: string[]): number {
  let count = 0;
  for (const f of fields) {
    let i = f.indexOf('\n');
    while (i >= 0) {
      count++;
      i = f.indexOf('\n', i + 1);
    }
  }
  return count;
}

function onlyBlankExtras(fields: string[], headerLength: number): boolean {
  if (fields.length < headerLength) return false;
  for (let i = headerLength; i < fields.length; i++) if (fields[i].trim() !== '') return false;
  return true;
}
