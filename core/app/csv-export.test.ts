import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { csvCell, toCsv } from './csv-export';

describe('csv export', () => {
  test('neutralises formula cells and quotes separators', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
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
