import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { concatTables } from '../table/concat-tables';
import type { PatientTable } from '../table/patient-table';
import { findLineEnd, lineEndChar, type Newline } from './csv-dialect';
import { readCsvHeader } from './csv-header';
import { parseFastRows } from './fast-rows';
import { type CsvIngestOptions, DEFAULT_MAX_LINE_LENGTH } from './ingest-options';
import { countNewlines, parsePapaRows, partialRowMinLength } from './papa-rows';
import { ReportBuilder } from './report-builder';
import { RowEndScanner } from './row-end-scanner';
import { RowValidator } from './row-validator';
import { SeenIds } from './seen-ids';
import { DEFAULT_MAX_LISTED_ISSUES, emptyReport, rejectFile, type ValidationReport } from './validation-report';

/** Bytes per read: 256 KiB (about 6,000 rows) is faster and leaner than 1 MiB, since each chunk's strings die young. */
const DEFAULT_READ_BYTES = 1 << 18;
const QUOTE = 34;

/**
 * Streaming CSV ingest: reads the file in chunks (never whole), validates every row against the data contract,
 * and yields the valid rows as columnar PatientTable chunks. The report is complete once `chunks()` has finished.
 * If the report ends up rejected (a file-level error found late, e.g. invalid UTF-8 at the end), the caller must
 * discard whatever it did with earlier chunks: the store's batch transaction does exactly that.
 *
 * Two row paths with one outcome. papaparse (papa-rows.ts) reads the header and any part of the file that holds a
 * quote or a non-ASCII byte (from there to the end). Plain ASCII rows without quotes, which is what clinic exports
 * are, go through a byte-level fast path (fast-rows.ts): it splits and parses the cells straight from the bytes
 * and hands every row that is not clean and valid (an error, a warning, a space, a sign, a wrong field count) to
 * the same per-row checks papaparse's rows go through (RowValidator), split exactly as papaparse splits unquoted
 * text. So reports, tables and messages do not depend on the path; csv-ingest.test.ts and fast-path.test.ts
 * compare the two on generated and malformed files. Why two: papaparse's general tokenizer dominates the cost of
 * ingest, and plain rows do not need it (bench:screen's parse stage shows the difference).
 *
 * This class is the reader: it decodes, finds the header, sends each read down a path, and holds the incomplete
 * last line to the length limit, skipping an overlong line, or the rest of the file after an unclosed quote.
 */
export class CsvIngest {
  readonly report: ValidationReport;
  /** sha256 of the bytes actually read; set when chunks() completes. */
  sha256: string | null = null;
  /** Checks, numbers and records the rows of both paths. */
  private readonly rows: RowValidator;
  private readonly maxLine: number;
  /** An overlong row was rejected: drop input up to its end, found by this scanner (set while skipping). */
  private skipping = false;
  private rowEnd: RowEndScanner | null = null;
  /** The incomplete row's text length when it was last measured against the limit (0: not yet). */
  private partialCheckedAt = 0;
  /**
   * The first line of the overlong row being skipped (null: none). Its verdict waits for the skip's end: a long row
   * (line_too_long) where the row ends, an unclosed quote (malformed_csv) where the file ends inside a quoted field
   * of it; so every read size and both paths read it as one read of the whole file does.
   */
  private skippedRow: number | null = null;
  private decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Text not yet parsed (papaparse path). */
  private pending = '';
  /** Bytes of an incomplete last line (fast path). */
  private carry: Buffer | null = null;
  private mode: 'header' | 'fast' | 'text' = 'header';
  /** Raw bytes read while looking for the header, to hand the rest to the fast path. */
  private headerBytes: Buffer[] = [];

  constructor(
    private readonly path: string,
    private readonly options: CsvIngestOptions,
  ) {
    this.report = emptyReport(options.displayName ?? basename(path), options.mode);
    this.maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.rows = new RowValidator(
      this.report,
      new ReportBuilder(this.report, options.maxListedIssues ?? DEFAULT_MAX_LISTED_ISSUES),
      new SeenIds(options.expectedRows ?? 0),
      this.maxLine,
      options.mode,
      options.trainingRange,
    );
  }

  async *chunks(): AsyncGenerator<PatientTable> {
    try {
      yield* this.readChunks();
    } finally {
      // A file refused while an overlong row was being skipped (not UTF-8, say): that row is a long row, whichever
      // path and reads got how far into it.
      if (this.skippedRow !== null) this.rows.rejectLongLine(this.skippedRow);
      this.skippedRow = null;
    }
  }

  private async *readChunks(): AsyncGenerator<PatientTable> {
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
    if (this.mode === 'fast') {
      if (this.skipping && !this.decodes(Buffer.alloc(0), true)) return;
      this.settleSkippedRow();
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
      this.settleSkippedRow();
      yield* this.feedText('', true);
    }
    this.sha256 = hash.digest('hex');
    if (this.report.rowsRead === 0) {
      rejectFile(this.report, 'header_only', 'has a header but no data rows');
    } else if (this.options.mode === 'batch') {
      this.report.hold = this.rows.tally.evaluate(this.report.units);
    }
  }

  /** Parses the complete rows of pending + text with papaparse. */
  private *feedText(text: string, final: boolean): Generator<PatientTable> {
    this.pending += text;
    const table = parsePapaRows(this.rows, this.pending, final);
    this.pending = this.pending.slice(table.consumed);
    if (table.consumed > 0) this.partialCheckedAt = 0;
    if (table.rows.rowCount > 0) {
      this.rows.tally.addTable(table.rows);
      yield table.rows;
    }
    // The incomplete last row is reparsed with every read: past the limit it is rejected, which keeps the cost
    // linear. The limit counts a row's fields, not its quotes, as for a row read whole; quotes can at most triple
    // the text (an empty quoted field and its delimiter), so the text kept stays within about three times the limit,
    // and a row is measured again only once its text has doubled (a few times at most, whatever the read size).
    // +1: the CR of a CRLF split across reads belongs to the line end, not the line.
    const measure =
      !final && this.pending.length > this.maxLine + 1 && this.pending.length >= 2 * this.partialCheckedAt;
    if (measure) this.partialCheckedAt = this.pending.length;
    if (measure && partialRowMinLength(this.rows, this.pending) > this.maxLine) {
      // A long row, skipped to where its quotes let it end, as when the whole row is in one read.
      this.startSkipping(this.rows.nextLine, this.pending);
      const eol = lineEndChar(this.rows.layout.newline);
      this.rows.nextLine += countNewlines(this.pending, this.pending.length, eol);
      this.rows.nextLine++;
      this.pending = '';
      this.partialCheckedAt = 0;
    }
  }

  /**
   * The rest of `buffer` after the end of the overlong line being skipped; empty while it goes on; null (and a
   * rejected report) when the skipped bytes are not UTF-8, which papaparse's path, decoding them, also finds.
   */
  private skipBytes(buffer: Buffer): Buffer | null {
    const end = this.skippedLineEnd(buffer);
    if (!this.decodes(end < 0 ? buffer : buffer.subarray(0, end + 1), false)) return null;
    if (end < 0) return buffer.subarray(buffer.length);
    this.skipping = false;
    return buffer.subarray(end + 1);
  }

  /**
   * Starts skipping the overlong row on `line` whose start, `readSoFar`, was dropped (its line ends already counted):
   * the scanner reads it first, so that a quote it left open or a CR it ended with is known when the next read comes.
   */
  private startSkipping(line: number, readSoFar: Buffer | string): void {
    this.skipping = true;
    this.skippedRow = line;
    this.rowEnd = new RowEndScanner(this.rows.layout.delimiter, this.rows.layout.newline);
    // papaparse found no row end in it; should the scanner see one, the skip goes on to the next, as before.
    if (this.rowEnd.scan(readSoFar) >= 0)
      this.rowEnd = new RowEndScanner(this.rows.layout.delimiter, this.rows.layout.newline);
  }

  /**
   * Where the row being skipped ends in `data` (the index of its last character), or -1: where one read of the whole
   * file would end it (quotes as papaparse reads them; in a CRLF file only CRLF). Line ends inside the row are
   * physical lines, numbered as one read of the file numbers them.
   */
  private skippedLineEnd(data: Buffer | string): number {
    const scanner = this.rowEnd as RowEndScanner;
    const end = scanner.scan(data, () => {
      this.rows.nextLine++;
    });
    if (end >= 0) this.settleSkippedRow();
    return end;
  }

  /** The verdict on the skipped row, once its end or the file's end is reached (see skippedRow). */
  private settleSkippedRow(): void {
    if (this.skippedRow === null) return;
    if (this.skipping && this.rowEnd?.insideQuote) this.rows.rejectUnclosedQuote(this.skippedRow);
    else this.rows.rejectLongLine(this.skippedRow);
    this.skippedRow = null;
    this.rowEnd = null;
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
    const end = this.skippedLineEnd(text);
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
      const result = parseFastRows(this.rows, data, final);
      if (result.rows.rowCount > 0) {
        this.rows.tally.addTable(result.rows);
        yield result.rows;
      }
      if (result.bailAt < 0) {
        if (!final && data.length - result.consumed > this.maxLine + 1) {
          // The same rule as feedText's for the incomplete last line.
          this.startSkipping(this.rows.nextLine, data.subarray(result.consumed));
          this.rows.nextLine++;
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

  /** Reads the header line; false (and a rejected report) when it is unusable. */
  private readHeader(headerText: string, newline: Newline): boolean {
    const layout = readCsvHeader(this.report, headerText, newline, this.options.mode, this.options.units);
    if (layout === null) return false;
    this.rows.setLayout(layout);
    return true;
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
