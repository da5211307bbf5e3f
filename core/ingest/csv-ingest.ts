import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN, OUTCOME_COLUMN, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import {
  COLUMN_RULES,
  capValue,
  checkFeatureCell,
  checkPatientId,
  type HardRule,
  isImplausible,
  PATIENT_ID_MAX_LENGTH,
  POWERS_OF_TEN,
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
  /**
   * false: every row goes through papaparse (the reference path the byte-level fast path is tested against).
   * Default true.
   */
  fastPath?: boolean;
  /** Rows the file is expected to hold (e.g. from its line count), to size the duplicate-id table once. */
  expectedRows?: number;
  /**
   * Longest line (or quoted row spanning lines) read, in characters; a longer one is rejected as soon as it passes
   * the limit, so that a hostile file costs linear time and bounded memory. Default 65,536.
   */
  maxLineLength?: number;
}

/** A clinic export's row is about 40 characters; 64 Ki leaves room for free-text columns and stops a runaway field. */
export const DEFAULT_MAX_LINE_LENGTH = 1 << 16;
/** Names of ignored columns kept in the report; the rest are only counted. */
const MAX_LISTED_IGNORED_COLUMNS = 50;

/**
 * Bytes per read. 256 KiB (about 6,000 rows) measured faster and leaner than 1 MiB on 1,000,000 rows: 1.5-1.8 s and
 * ~170 MB peak RSS against 2.2 s and ~230 MB, since each chunk's parsed strings die young.
 */
const DEFAULT_READ_BYTES = 1 << 18;
const DELIMITERS = [',', ';', '\t'] as const;
type Delimiter = (typeof DELIMITERS)[number];
const ZERO_IMPUTED = new Set<FeatureName>(ZERO_IMPUTE_COLUMNS);
// The rule table as arrays in FEATURE_COLUMNS order, for the per-cell hot loop. Every max is finite, so
// `value <= max` also refuses NaN and ±Infinity in both paths' quick checks.
const RULE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].max);
const RULE_INTEGER = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].integer);
const RULE_PLAUSIBLE_MAX = FEATURE_COLUMNS.map((c) => COLUMN_RULES[c].plausibleMax);

/** Byte codes the fast path looks for. */
const LF = 10;
const CR = 13;
const QUOTE = 34;
/** Roles of a CSV column in the fast path (>= 0: the index of a feature in FEATURE_COLUMNS). */
const ROLE_IGNORED = -1;
const ROLE_ID = -2;
const ROLE_OUTCOME = -3;
/** Line endings read: LF, CRLF, and CR alone (old Mac exports), all detected from the header line. */
type Newline = '\n' | '\r\n' | '\r';

/** What JavaScript's trim() removes, within ASCII (the fast path only sees ASCII). */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The valid rows of one chunk, written column by column (capacity: an upper bound on the rows). */
class RowBuilder {
  readonly features = emptyFeatureColumns(0);
  readonly columns: Float64Array[];
  readonly ids: string[] = [];
  readonly lineNumbers: Uint32Array;
  readonly outcome: Uint8Array | null;
  kept = 0;

  constructor(
    readonly capacity: number,
    training: boolean,
  ) {
    this.features = emptyFeatureColumns(capacity);
    this.columns = FEATURE_COLUMNS.map((c) => this.features[c]);
    this.lineNumbers = new Uint32Array(capacity);
    this.outcome = training ? new Uint8Array(capacity) : null;
  }

  /** Typed arrays drop writes past their end silently: a row that does not fit must fail loudly instead. */
  checkRoom(): void {
    if (this.kept >= this.capacity) throw new Error(`ingest: more rows than the chunk's bound of ${this.capacity}`);
  }

  finish(): PatientTable {
    const n = this.kept;
    const trimmed = emptyFeatureColumns(0);
    for (const c of FEATURE_COLUMNS) trimmed[c] = this.features[c].subarray(0, n);
    return {
      rowCount: n,
      ids: this.ids,
      lineNumbers: this.lineNumbers.subarray(0, n),
      features: trimmed,
      outcome: this.outcome ? this.outcome.subarray(0, n) : null,
    };
  }
}

/**
 * Streaming CSV ingest: reads the file in chunks (never whole), validates every row against the data contract,
 * and yields the valid rows as columnar PatientTable chunks. The report is complete once `chunks()` has finished.
 * If the report ends up rejected (a file-level error found late, e.g. invalid UTF-8 at the end), the caller must
 * discard whatever it did with earlier chunks: the store's batch transaction does exactly that.
 *
 * Two row paths with one outcome. papaparse reads the header and any part of the file that holds a quote or a
 * non-ASCII byte (from there to the end). Plain ASCII rows without quotes, which is what clinic exports are, go
 * through a byte-level fast path: it splits and parses the cells straight from the bytes and hands every row that
 * is not clean and valid (an error, a warning, a space, a sign, a wrong field count) to the same per-row checks
 * papaparse's rows go through, split exactly as papaparse splits unquoted text. So reports, tables and messages
 * do not depend on the path; csv-ingest.test.ts compares the two on generated and malformed files.
 * Why: on 1M rows the papaparse path costs ~1.2 s of CPU and the fast path ~0.6 s (bench:screen, parse stage).
 */
export class CsvIngest {
  readonly report: ValidationReport;
  /** sha256 of the bytes actually read; set when chunks() completes. */
  sha256: string | null = null;
  private readonly maxListed: number;
  private readonly seenIds: SeenIds;
  private readonly warningTexts = new Map<string, string>();
  private columnIndex: number[] = [];
  private idIndex = -1;
  private outcomeIndex = -1;
  private headerLength = 0;
  private delimiter: Delimiter = ',';
  private newline: Newline = '\n';
  private readonly maxLine: number;
  /** An overlong line was rejected: drop input up to its end. */
  private skipping = false;
  /** A quoted row never closed within maxLine: the rest of the file is hashed but not parsed. */
  private draining = false;
  private nextLine = 2;
  private decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Text not yet parsed (papaparse path). */
  private pending = '';
  /** Bytes of an incomplete last line (fast path). */
  private carry: Buffer | null = null;
  private mode: 'header' | 'fast' | 'text' = 'header';
  /** Raw bytes read while looking for the header, to hand the rest to the fast path. */
  private headerBytes: Buffer[] = [];
  /** Per CSV column: ROLE_* or the feature index. */
  private roles = new Int32Array(0);
  private readonly zMean: Float64Array;
  private readonly zStd: Float64Array;
  private readonly zeroImputed = FEATURE_COLUMNS.map((c) => ZERO_IMPUTED.has(c));

  constructor(
    private readonly path: string,
    private readonly options: CsvIngestOptions,
  ) {
    this.report = emptyReport(options.displayName ?? basename(path), options.mode);
    this.maxListed = options.maxListedIssues ?? DEFAULT_MAX_LISTED_ISSUES;
    this.maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.seenIds = new SeenIds(options.expectedRows ?? 0);
    const z = options.zScoreReference;
    this.zMean = Float64Array.from(FEATURE_COLUMNS, (c) => (z ? z.mean[c] : 0));
    this.zStd = Float64Array.from(FEATURE_COLUMNS, (c) => (z ? z.std[c] : 0));
  }

  async *chunks(): AsyncGenerator<PatientTable> {
    const hash = createHash('sha256');
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
        if (this.draining) continue;
        if (this.mode === 'fast') {
          const rest = this.skipping ? this.skipBytes(buffer) : buffer;
          if (rest === null) return;
          if (rest.length === 0) continue;
          const data = this.carry ? Buffer.concat([this.carry, rest]) : rest;
          this.carry = null;
          yield* this.feedFast(data, false);
          if (this.report.status === 'rejected') return;
          continue;
        }
        let text: string;
        try {
          text = this.decoder.decode(buffer, { stream: true });
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
        if (this.mode === 'text' && this.skipping) text = this.skipText(text);
        this.pending += text;
        if (this.mode === 'header') {
          this.headerBytes.push(buffer);
          const found = findLineEnd(this.pending, false);
          const headerLength = found === null ? this.pending.length : found.end - found.newline.length;
          if (headerLength > this.maxLine) {
            // Without this the search for the header's end rescans a growing string on every read.
            rejectFile(
              this.report,
              'header_too_long',
              `line 1 (the header) is longer than ${this.maxLine} characters [line_too_long]; a header is one short line of column names`,
            );
            return;
          }
          // A file of nothing but blank lines is "empty", which only the end of the file can tell.
          if (found === null || this.pending.trim() === '') continue;
          const headerText = this.pending.slice(0, found.end);
          if (!this.readHeader(headerText, found.newline)) return;
          this.pending = this.pending.slice(found.end);
          this.mode = 'text';
          if (this.options.fastPath !== false) {
            // The header's bytes re-encode exactly (the decoder is fatal), so the data starts right after them.
            const start = (this.report.hadByteOrderMark ? 3 : 0) + Buffer.byteLength(headerText);
            const data = Buffer.concat(this.headerBytes).subarray(start);
            this.mode = 'fast';
            this.pending = '';
            this.decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
            this.headerBytes = [];
            yield* this.feedFast(data, false);
            if (this.report.status === 'rejected') return;
            continue;
          }
          this.headerBytes = [];
        }
        yield* this.feedText('', false);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      rejectFile(this.report, 'unreadable', `cannot be read (${code ?? (error as Error).message})`);
      return;
    }
    if (this.draining) {
      // The rest of the file was one unclosed quote, already reported.
    } else if (this.mode === 'fast') {
      if (this.skipping && !this.decodes(Buffer.alloc(0), true)) return;
      const data = this.carry ?? Buffer.alloc(0);
      this.carry = null;
      yield* this.feedFast(data, true);
      if (this.report.status === 'rejected') return;
    } else {
      try {
        this.pending += this.decoder.decode();
      } catch {
        rejectFile(this.report, 'not_utf8', 'is not valid UTF-8 text (it ends inside a multi-byte character)');
        return;
      }
      if (first && this.pending === '') {
        rejectFile(this.report, 'empty', 'is empty');
        return;
      }
      if (this.mode === 'header') {
        if (this.pending.trim() === '') {
          rejectFile(this.report, 'empty', 'is empty');
          return;
        }
        const found = findLineEnd(this.pending, true);
        const headerText = found ? this.pending.slice(0, found.end) : this.pending;
        if (!this.readHeader(headerText, found ? found.newline : '\n')) return;
        this.pending = this.pending.slice(headerText.length);
        this.mode = 'text';
      } else if (this.skipping) {
        this.pending = this.skipText(this.pending);
      }
      yield* this.feedText('', true);
    }
    this.sha256 = hash.digest('hex');
    if (this.report.rowsRead === 0) {
      rejectFile(this.report, 'header_only', 'has a header but no data rows');
    }
  }

  /** Parses the complete rows of pending + text with papaparse. */
  private *feedText(text: string, final: boolean): Generator<PatientTable> {
    this.pending += text;
    const table = this.parseRows(this.pending, final);
    this.pending = this.pending.slice(table.consumed);
    if (table.rows.rowCount > 0) yield table.rows;
    // The incomplete last row is reparsed with every read: past the limit it is rejected, which keeps the cost
    // linear. +1: the CR of a CRLF split across reads belongs to the line end, not the line.
    if (!final && this.pending.length > this.maxLine + 1) {
      const line = this.nextLine;
      if (this.pending.includes(this.newline)) {
        // Only a quote makes a row span lines, and papaparse cannot tell where an unclosed one should have ended.
        this.rejectLong(
          line,
          'malformed_csv',
          `a quoted field in the row starting on line ${line} does not close within ${this.maxLine} characters (an unclosed quote?); the rest of the file from line ${line} is not read`,
        );
        this.draining = true;
      } else {
        this.rejectLong(line, 'line_too_long', this.lineTooLongMessage(line));
        this.skipping = true;
      }
      this.nextLine++;
      this.pending = '';
    }
  }

  private lineTooLongMessage(line: number): string {
    return `line ${line} is longer than ${this.maxLine} characters; it is skipped and the next line is read`;
  }

  /** One rejected row for an overlong line or quote; no value, since none of it was parsed. */
  private rejectLong(line: number, rule: 'line_too_long' | 'malformed_csv', message: string): void {
    this.report.rowsRead++;
    this.rejectRow(line, null, [{ column: '(row)', value: '', rule, message }]);
  }

  /** The end-of-line character that ends a row (the LF of CRLF). */
  private get lineEndChar(): '\n' | '\r' {
    return this.newline === '\r' ? '\r' : '\n';
  }

  /**
   * The rest of `buffer` after the end of the overlong line being skipped; empty while it goes on; null (and a
   * rejected report) when the skipped bytes are not UTF-8, which papaparse's path, decoding them, also finds.
   */
  private skipBytes(buffer: Buffer): Buffer | null {
    const end = buffer.indexOf(this.lineEndChar.charCodeAt(0));
    if (!this.decodes(end < 0 ? buffer : buffer.subarray(0, end + 1), false)) return null;
    if (end < 0) return buffer.subarray(buffer.length);
    this.skipping = false;
    return buffer.subarray(end + 1);
  }

  /** Runs `bytes` through the decoder only to validate them; false (and a rejected report) when not UTF-8. */
  private decodes(bytes: Buffer, final: boolean): boolean {
    try {
      this.decoder.decode(bytes, { stream: !final });
      return true;
    } catch {
      this.rejectNotUtf8(final);
      return false;
    }
  }

  private rejectNotUtf8(final: boolean): void {
    rejectFile(
      this.report,
      'not_utf8',
      final
        ? 'is not valid UTF-8 text (it ends inside a multi-byte character)'
        : 'is not valid UTF-8 text; save it as "CSV UTF-8" and try again',
    );
  }

  private skipText(text: string): string {
    const end = text.indexOf(this.lineEndChar);
    if (end < 0) return '';
    this.skipping = false;
    return text.slice(end + 1);
  }

  /**
   * Fast path over `data`, which starts at the start of a line. A chunk holding a quote or a non-ASCII byte, or a
   * line papaparse would not end where the fast path does, sends the rest of the file to papaparse.
   */
  private *feedFast(data: Buffer, final: boolean): Generator<PatientTable> {
    let textFrom = 0;
    if (isAscii(data) && !data.includes(QUOTE)) {
      const result = this.parseFast(data, final);
      if (result.rows.rowCount > 0) yield result.rows;
      if (result.bailAt < 0) {
        if (!final && data.length - result.consumed > this.maxLine + 1) {
          // The same rule as feedText's for the incomplete last line.
          this.rejectLong(this.nextLine, 'line_too_long', this.lineTooLongMessage(this.nextLine));
          this.nextLine++;
          this.skipping = true;
        } else if (!final && result.consumed < data.length) {
          // A copy, so the 256 KiB read it came from can be freed.
          this.carry = Buffer.from(data.subarray(result.consumed));
        }
        return;
      }
      textFrom = result.bailAt;
    }
    this.mode = 'text';
    let text: string;
    try {
      text = this.decoder.decode(data.subarray(textFrom), { stream: true });
      if (final) text += this.decoder.decode();
    } catch {
      this.rejectNotUtf8(final);
      return;
    }
    yield* this.feedText(text, final);
  }

  /** Detects the delimiter and line ending, maps the header; false (and a rejected report) when unusable. */
  private readHeader(headerText: string, newline: Newline): boolean {
    this.newline = newline;
    const line = headerText.endsWith(newline) ? headerText.slice(0, -newline.length) : headerText;
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
    // Header text is capped like values: a "header" can be a whole file of patient data read as one line.
    this.report.headerMapping = header.mapping.map((m) => ({ source: capValue(m.source), column: m.column }));
    this.report.ignoredColumns = header.ignored.slice(0, MAX_LISTED_IGNORED_COLUMNS).map(capValue);
    this.report.ignoredColumnCount = header.ignored.length;
    if (header.duplicates.length > 0 || header.otherDuplicates > 0) {
      const named = header.duplicates.map(capValue);
      const others = header.otherDuplicates;
      if (others > 0) named.push(`${others} other column name${others > 1 ? 's' : ''}`);
      rejectFile(this.report, 'duplicate_headers', `has duplicate column names: ${named.join(', ')}`);
      return false;
    }
    const required: string[] = [...FEATURE_COLUMNS];
    if (this.options.mode === 'batch') required.unshift(ID_COLUMN);
    else required.push(OUTCOME_COLUMN);
    const missing = required.filter((c) => !header.indexOf.has(c));
    if (missing.length > 0) {
      // Counts only: the header's own text may be patient data (a file whose line ends were not recognised).
      rejectFile(
        this.report,
        'missing_columns',
        `is missing the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (its header line has ${fields.length} column${fields.length === 1 ? '' : 's'}, ${header.mapping.length} of them recognised)`,
      );
      return false;
    }
    this.headerLength = fields.length;
    this.columnIndex = FEATURE_COLUMNS.map((c) => header.indexOf.get(c) as number);
    this.idIndex = header.indexOf.get(ID_COLUMN) ?? -1;
    this.outcomeIndex = this.options.mode === 'training' ? (header.indexOf.get(OUTCOME_COLUMN) ?? -1) : -1;
    this.roles = new Int32Array(this.headerLength).fill(ROLE_IGNORED);
    this.columnIndex.forEach((column, f) => {
      this.roles[column] = f;
    });
    if (this.idIndex >= 0) this.roles[this.idIndex] = ROLE_ID;
    if (this.outcomeIndex >= 0) this.roles[this.outcomeIndex] = ROLE_OUTCOME;
    return true;
  }

  /** Parses complete rows of `text` (all of it when final) with papaparse into a table of the valid ones. */
  private parseRows(text: string, final: boolean): { rows: PatientTable; consumed: number } {
    const parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' });
    const result = parser.parse(text, 0, !final);
    const data = result.data as string[][];
    const consumed = final ? text.length : result.meta.cursor;
    const malformedRows = new Set<number>();
    for (const e of result.errors) if (typeof e.row === 'number') malformedRows.add(e.row);
    const eol = this.lineEndChar;
    const embeddedNewlines =
      countNewlines(text, consumed, eol) !== data.length - (final && !text.endsWith(eol) ? 1 : 0);

    const builder = new RowBuilder(data.length, this.options.mode === 'training');
    for (let r = 0; r < data.length; r++) {
      const fields = data[r];
      const line = this.nextLine;
      this.nextLine += embeddedNewlines ? 1 + newlinesInside(fields, eol) : 1;
      if (rowLength(fields) > this.maxLine) this.rejectLong(line, 'line_too_long', this.lineTooLongMessage(line));
      else this.checkRow(fields, line, malformedRows.has(r), builder);
    }
    return { rows: builder.finish(), consumed };
  }

  /**
   * The byte-level fast path over `data` (ASCII, no quotes, starting at a line start): the complete lines (all of
   * it when final). bailAt >= 0: the line starting there ends differently under papaparse (a bare LF in a CRLF
   * file), so it and everything after go to papaparse.
   */
  private parseFast(buffer: Buffer, final: boolean): { rows: PatientTable; consumed: number; bailAt: number } {
    const eol = this.newline === '\r' ? CR : LF;
    const end = final ? buffer.length : buffer.lastIndexOf(eol) + 1;
    // A plain Uint8Array view: indexing it is measurably faster than indexing the Buffer subclass.
    const data = new Uint8Array(buffer.buffer, buffer.byteOffset, end);
    const width = this.headerLength;
    // A kept row has every required cell non-empty: at least (required cells + delimiters + LF) bytes.
    const requiredCells = FEATURE_COLUMNS.length + (this.idIndex >= 0 ? 1 : 0) + (this.outcomeIndex >= 0 ? 1 : 0);
    const builder = new RowBuilder(Math.floor(end / (requiredCells + width)) + 1, this.options.mode === 'training');
    const maxLine = this.maxLine;
    if (end === 0) return { rows: builder.finish(), consumed: 0, bailAt: -1 };
    const text = buffer.toString('latin1', 0, end);
    const crlf = this.newline === '\r\n';
    const delimiter = this.delimiter.charCodeAt(0);
    const decimalComma = this.report.decimalComma;
    const { roles, zMean, zStd, zeroImputed } = this;
    const columns = builder.columns;
    const zScores = this.options.zScoreReference !== undefined;
    const hasIds = this.idIndex >= 0;
    const outcome = builder.outcome;

    let i = 0;
    while (i < end) {
      const lineStart = i;
      let lf = i;
      while (lf < end && data[lf] !== eol) lf++;
      // rowEnd: where papaparse's row ends; contentEnd: after checkRow's strip of a trailing CR.
      let rowEnd = lf;
      if (crlf && lf < end) {
        if (lf === lineStart || data[lf - 1] !== CR)
          return { rows: builder.finish(), consumed: lineStart, bailAt: lineStart };
        rowEnd = lf - 1;
      }
      i = lf + 1;
      const contentEnd = rowEnd > lineStart && data[rowEnd - 1] === CR ? rowEnd - 1 : rowEnd;
      const line = this.nextLine++;
      if (rowEnd - lineStart > maxLine) {
        this.rejectLong(line, 'line_too_long', this.lineTooLongMessage(line));
        continue;
      }
      builder.checkRoom();
      const k = builder.kept;

      let field = 0;
      let cellStart = lineStart;
      let idStart = 0;
      let idEnd = 0;
      let clean = true;
      for (let p = lineStart; ; p++) {
        const atEnd = p === contentEnd;
        if (!atEnd && data[p] !== delimiter) continue;
        if (field >= width) {
          clean = false;
          break;
        }
        const role = roles[field];
        if (role >= 0) {
          let mantissa = 0;
          let digits = 0;
          let fractionDigits = 0;
          let point = false;
          for (let q = cellStart; q < p; q++) {
            const c = data[q];
            if (c >= 48 && c <= 57) {
              mantissa = mantissa * 10 + (c - 48);
              digits++;
              if (point) fractionDigits++;
            } else if ((c === 46 || (decimalComma && c === 44)) && !point) {
              point = true;
            } else {
              digits = -1;
              break;
            }
          }
          // The same arithmetic as parseDecimal, so the same double.
          const value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
          if (digits <= 0 || digits > 15 || fractionDigits > 22 || !(value <= RULE_MAX[role])) {
            clean = false;
            break;
          }
          if (RULE_INTEGER[role] && !Number.isInteger(value)) {
            clean = false;
            break;
          }
          columns[role][k] = value;
        } else if (role === ROLE_ID) {
          const length = p - cellStart;
          if (
            length === 0 ||
            length > PATIENT_ID_MAX_LENGTH ||
            isAsciiSpace(data[cellStart]) ||
            isAsciiSpace(data[p - 1])
          ) {
            clean = false;
            break;
          }
          idStart = cellStart;
          idEnd = p;
        } else if (role === ROLE_OUTCOME) {
          const c = data[cellStart];
          if (p - cellStart !== 1 || (c !== 48 && c !== 49) || outcome === null) {
            clean = false;
            break;
          }
          outcome[k] = c - 48;
        }
        field++;
        cellStart = p + 1;
        if (atEnd) break;
      }

      if (clean && field === width) {
        // A valid row: the soft rules, exactly as for papaparse's rows.
        const id = hasIds ? text.slice(idStart, idEnd) : `row-${line}`;
        let warned = false;
        for (let f = 0; f < columns.length; f++) {
          const value = columns[f][k];
          if (value > RULE_PLAUSIBLE_MAX[f]) warned = true;
          else if (zScores && !(value === 0 && zeroImputed[f])) {
            const std = zStd[f];
            if (std > 0 && Math.abs(value - zMean[f]) / std > Z_SCORE_WARNING) warned = true;
          }
        }
        if (warned) this.softWarnings(line, hasIds ? id : null, columns, k);
        if (hasIds) warned = this.duplicateWarning(line, id) || warned;
        this.report.rowsRead++;
        if (warned) this.report.rowsWithWarnings++;
        builder.ids.push(id);
        builder.lineNumbers[k] = line;
        builder.kept++;
        this.report.rowsValid++;
        continue;
      }

      // Not clean: the cells exactly as papaparse splits unquoted text, through the full checks.
      this.checkRow(text.slice(lineStart, rowEnd).split(this.delimiter), line, false, builder);
    }
    return { rows: builder.finish(), consumed: end, bailAt: -1 };
  }

  /** Every rule for one row; a valid row is added to `builder`. */
  private checkRow(fields: string[], line: number, malformed: boolean, builder: RowBuilder): void {
    if (fields.length === 1 && fields[0].trim() === '') return;
    this.report.rowsRead++;
    const rowErrors: { column: string; value: string; rule: HardRule; message: string }[] = [];
    const last = fields.length - 1;
    if (fields[last].endsWith('\r')) fields[last] = fields[last].slice(0, -1);
    builder.checkRoom();
    const kept = builder.kept;
    const featureColumns = builder.columns;
    const decimalComma = this.report.decimalComma;

    if (malformed) {
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
    if (builder.outcome) {
      const raw = (fields[this.outcomeIndex] ?? '').trim();
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
      this.rejectRow(line, reportedId, rowErrors);
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
  private softWarnings(line: number, reportedId: string | null, columns: Float64Array[], k: number): boolean {
    const zRef = this.options.zScoreReference;
    let warned = false;
    for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
      const value = columns[f][k];
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
    return warned;
  }

  /** Records the id; warns (true) when it was seen on an earlier line. */
  private duplicateWarning(line: number, id: string): boolean {
    const firstLine = this.seenIds.firstLineOrAdd(id, line);
    if (firstLine === 0) return false;
    this.warn(line, id, ID_COLUMN, id, 'duplicate_id', `first seen on line ${firstLine}`);
    return true;
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
      this.list(
        this.report.errors,
        { line, patientId, ...e, value: capValue(e.value), severity: 'error' },
        'unlistedErrors',
      );
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
    if (this.report.warnings.length >= this.maxListed) {
      this.report.unlistedWarnings++;
      return;
    }
    let message: string;
    if (detail) message = `${column === ID_COLUMN ? '' : `${column}: `}${RULE_DESCRIPTIONS[rule]} (${detail})`;
    else {
      // One string per column and rule, shared by every warning (a 1M-row file can list 100,000).
      const key = `${column}\u0000${rule}`;
      message = this.warningTexts.get(key) ?? `${column === ID_COLUMN ? '' : `${column}: `}${RULE_DESCRIPTIONS[rule]}`;
      this.warningTexts.set(key, message);
    }
    this.list(
      this.report.warnings,
      { line, patientId, column, value: capValue(value), rule, severity: 'warning', message },
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

/**
 * The end of the first line of `text` and its line ending: LF, CRLF, or a CR alone. A CR as the last character
 * may be the first half of a CRLF, so it needs the next read unless the text is final. null: no line end yet.
 */
function findLineEnd(text: string, final: boolean): { end: number; newline: Newline } | null {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) {
    if (cr + 1 < text.length)
      return text[cr + 1] === '\n' ? { end: cr + 2, newline: '\r\n' } : { end: cr + 1, newline: '\r' };
    return final ? { end: cr + 1, newline: '\r' } : null;
  }
  return lf >= 0 ? { end: lf + 1, newline: '\n' } : null;
}

function countNewlines(text: string, end: number, eol: string): number {
  let count = 0;
  let i = text.indexOf(eol);
  while (i >= 0 && i < end) {
    count++;
    i = text.indexOf(eol, i + 1);
  }
  return count;
}

function newlinesInside(fields: string[], eol: string): number {
  let count = 0;
  for (const f of fields) {
    let i = f.indexOf(eol);
    while (i >= 0) {
      count++;
      i = f.indexOf(eol, i + 1);
    }
  }
  return count;
}

/** A row's length as written without quotes: its fields and the delimiters between them. */
function rowLength(fields: string[]): number {
  let length = fields.length - 1;
  for (const f of fields) length += f.length;
  return length;
}

function onlyBlankExtras(fields: string[], headerLength: number): boolean {
  if (fields.length < headerLength) return false;
  for (let i = headerLength; i < fields.length; i++) if (fields[i].trim() !== '') return false;
  return true;
}
