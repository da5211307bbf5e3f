import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { csvCell, restoreCsvText, toCsv } from './csv-export';

/** Hostile cells: formula starts at the beginning and after the separators of semicolon-locale spreadsheets. */
const HOSTILE = [
  '=HYPERLINK("http://x","click")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  "P1;=cmd|'/c calc'!A1",
  'P2|+1',
  'a;b|c',
  "'=already quoted",
  "'",
  'x;;@y',
  'plain "quoted" text, with comma\r\nand lines',
  '',
];

describe('csv export', () => {
  test('quotes every text cell and neutralises formula cells; numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe(`"'-1+2"`);
    expect(csvCell('P1')).toBe('"P1"');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
  });

  test('formula starts after ; and | are neutralised too', () => {
    expect(csvCell('P1;=1+1')).toBe(`"P1;'=1+1"`);
    expect(csvCell('P1|@x;-2')).toBe(`"P1|'@x;'-2"`);
    expect(csvCell('P1;\t=1')).toBe(`"P1;'\t=1"`);
  });

  test('hostile cells: no field a spreadsheet reads, split at , ; or |, starts a formula, and all restore exactly', () => {
    const text = toCsv(
      ['patient_id'],
      HOSTILE.map((h) => [h]),
    );
    const parsed = Papa.parse<string[]>(text.trim(), { newline: '\r\n' })
      .data.slice(1)
      .map((r) => r[0]);
    expect(parsed.map(restoreCsvText)).toEqual(HOSTILE);
    for (const cell of parsed) {
      for (const piece of cell.split(/[;|]/)) expect(piece).not.toMatch(/^[=+\-@\t\r]/);
    }
    // Every line is a run of quoted cells: nothing unquoted for a lenient parser to interpret.
    for (const line of text.trim().split('\r\n').slice(0, 1)) expect(line).toBe('"patient_id"');
  });

  test('round-trips through a CSV parser', () => {
    const text = toCsv(
      ['patient_id', 'note'],
      [
        ['P1', 'said "hello", left'],
        ['P2', 'line\nbreak'],
      ],
    );
    const parsed = Papa.parse<string[]>(text.trim(), { newline: '\r\n' });
    expect(parsed.data).toEqual([
      ['patient_id', 'note'],
      ['P1', 'said "hello", left'],
      ['P2', 'line\nbreak'],
    ]);
  });
});
