import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import type { Newline } from './csv-dialect';
import { RowEndScanner } from './row-end-scanner';

/** Where papaparse ends the first row of `text` (the index of its line end's last character), or -1. */
function papaparseRowEnd(text: string, delimiter: string, newline: Newline): number {
  let first: number | null = null;
  new Papa.Parser({
    delimiter,
    newline,
    quoteChar: '"',
    step: (row: { meta: { cursor: number }; errors: { code: string }[] }) => {
      // A quote still open at the end of the text runs the row to its end: no row end, whatever the last character.
      first ??= row.errors.some((e) => e.code === 'MissingQuotes') ? -1 : row.meta.cursor;
    },
  }).parse(text, 0, false);
  const cursor = first ?? -1;
  return cursor > 0 && text.slice(cursor - newline.length, cursor) === newline ? cursor - 1 : -1;
}

/** The scanner fed `text` in the given pieces (as reads deliver it): the row end as an index into `text`. */
function scannedRowEnd(text: string, cuts: number[], delimiter: string, newline: Newline, bytes: boolean): number {
  const scanner = new RowEndScanner(delimiter, newline);
  const bounds = [...new Set([0, ...cuts.map((c) => Math.min(c, text.length)), text.length])].sort((a, b) => a - b);
  for (let k = 0; k + 1 < bounds.length; k++) {
    const piece = text.slice(bounds[k], bounds[k + 1]);
    const end = scanner.scan(bytes ? Buffer.from(piece, 'latin1') : piece);
    if (end >= 0) return bounds[k] + end;
  }
  return -1;
}

const ALPHABET = ['a', '1', ',', ';', '"', '"', '\n', '\r', ' ', '\t'];

describe('RowEndScanner', () => {
  test('ends a row where papaparse ends it, however the text is split into reads, as text or as bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }).map((chars) => chars.join('')),
        fc.array(fc.nat(40), { maxLength: 6 }),
        fc.constantFrom<Newline>('\n', '\r\n', '\r'),
        fc.constantFrom(',', ';'),
        fc.boolean(),
        (text, cuts, newline, delimiter, bytes) => {
          expect(scannedRowEnd(text, cuts, delimiter, newline, bytes)).toBe(papaparseRowEnd(text, delimiter, newline));
        },
      ),
      { numRuns: 5000, seed: 7 },
    );
  });

  test('counts the line ends inside the row: in quoted fields, and a CRLF file bare LFs', () => {
    const lines = (text: string, newline: Newline) => {
      let count = 0;
      const end = new RowEndScanner(',', newline).scan(text, () => {
        count++;
      });
      return [end, count];
    };
    expect(lines('1,"a\nb\nc",2\nnext', '\n')).toEqual([11, 2]);
    expect(lines('1,"a\r\nb",2\r\nnext', '\r\n')).toEqual([11, 1]);
    expect(lines('1,a\nb,2\r\n', '\r\n')).toEqual([8, 1]);
    expect(lines('1,"a""\n",2\n', '\n')).toEqual([10, 1]);
  });

  test('a CR that ends one read and an LF that starts the next end a CRLF row', () => {
    const scanner = new RowEndScanner(',', '\r\n');
    expect(scanner.scan('1,2,3\r')).toBe(-1);
    expect(scanner.scan('\nnext')).toBe(0);
  });
});
