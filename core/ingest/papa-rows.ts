import Papa from 'papaparse';
import type { PatientTable } from '../table/patient-table';
import { lineEndChar, type Newline } from './csv-dialect';
import { RowBuilder } from './row-builder';
import type { RowValidator } from './row-validator';

/**
 * Parses the complete rows of `text` (all of it when final) with papaparse, the path for quotes and non-ASCII
 * text, into a table of the valid ones. consumed: the characters parsed; the rest is an incomplete row.
 */
export function parsePapaRows(
  validator: RowValidator,
  text: string,
  final: boolean,
): { rows: PatientTable; consumed: number } {
  const { delimiter, newline } = validator.layout;
  const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
  const result = parser.parse(text, 0, !final);
  const data = result.data as string[][];
  const consumed = final ? text.length : result.meta.cursor;
  const malformedRows = new Set<number>();
  const unclosedRows = new Set<number>();
  for (const e of result.errors) {
    if (typeof e.row !== 'number') continue;
    malformedRows.add(e.row);
    if (e.code === 'MissingQuotes') unclosedRows.add(e.row);
  }
  const eol = lineEndChar(newline);
  // Line numbers need counting only when a row holds a line end of its own (in a quoted field, or a bare LF in a
  // CRLF file); then each row's lines are counted in its text as read, where papaparse's fields can leave one out
  // (an LF right after a closing quote is dropped).
  const embeddedNewlines = countNewlines(text, consumed, eol) !== data.length - (final && !text.endsWith(eol) ? 1 : 0);
  const rowEnds = embeddedNewlines ? rowEndsOf(text, delimiter, newline, !final) : null;

  const builder = new RowBuilder(data.length, validator.training);
  for (let r = 0; r < data.length; r++) {
    const fields = data[r];
    const line = validator.nextLine;
    if (rowEnds) {
      const raw = text.slice(r === 0 ? 0 : rowEnds[r - 1], rowEnds[r]);
      // A last row without a line end still takes its line.
      validator.nextLine += countNewlines(raw, raw.length, eol) + (raw.endsWith(newline) ? 0 : 1);
    } else validator.nextLine += 1;
    if (rowLength(fields) > validator.maxLine) {
      // Too long with its quote still open at the end of the file: what a skip of it finds too (csv-ingest.ts).
      if (unclosedRows.has(r)) validator.rejectUnclosedQuote(line);
      else validator.rejectLongLine(line);
    } else validator.checkRow(fields, line, malformedRows.has(r), builder);
  }
  return { rows: builder.finish(), consumed };
}

/**
 * The fewest characters the incomplete last row of a read can have once it is complete, counted as a whole row is
 * counted against the length limit (quotes left out): its fields and delimiters as read so far, with an open quoted
 * field's doubled quotes counted once, and a last quote or CR that may still turn out to close the field or end the
 * line not counted. (Where such a row ends, quotes and all, the skip finds: row-end-scanner.ts.)
 */
export function partialRowMinLength(validator: RowValidator, text: string): number {
  const { delimiter, newline } = validator.layout;
  const result = new Papa.Parser({ delimiter, newline, quoteChar: '"' }).parse(text, 0, false);
  const insideQuote = result.errors.some((e: { code?: string }) => e.code === 'MissingQuotes');
  const rows = result.data as string[][];
  const fields = rows.length > 0 ? [...rows[rows.length - 1]] : [''];
  const last = fields.length - 1;
  if (insideQuote) {
    // papaparse leaves an open field as read: its doubled quotes not yet made one.
    const open = fields[last];
    const trailingQuotes = open.length - open.replace(/"+$/, '').length;
    fields[last] = open.replaceAll('""', '"').slice(0, trailingQuotes % 2 === 1 ? -1 : undefined);
  }
  if (newline === '\r\n' && fields[last].endsWith('\r')) fields[last] = fields[last].slice(0, -1);
  return rowLength(fields);
}

/** How many line ends `text` holds before `end`. */
export function countNewlines(text: string, end: number, eol: string): number {
  let count = 0;
  let i = text.indexOf(eol);
  while (i >= 0 && i < end) {
    count++;
    i = text.indexOf(eol, i + 1);
  }
  return count;
}

/** Where each row papaparse parses in `text` ends (after its line end), as parse(text, 0, ignoreLastRow) parses it. */
function rowEndsOf(text: string, delimiter: string, newline: Newline, ignoreLastRow: boolean): number[] {
  const ends: number[] = [];
  const step = (row: { meta: { cursor: number } }) => {
    ends.push(row.meta.cursor);
  };
  new Papa.Parser({ delimiter, newline, quoteChar: '"', step }).parse(text, 0, ignoreLastRow);
  return ends;
}

/** A row's length as written without quotes: its fields and the delimiters between them. */
function rowLength(fields: string[]): number {
  let length = fields.length - 1;
  for (const f of fields) length += f.length;
  return length;
}
