import { writeFileSync } from 'node:fs';
import { FEATURE_COLUMNS } from '../schema/columns';

/**
 * Valid batch rows whose decimal cells are markers: values written so that no message, log line, audit event or
 * hash could contain them by chance (a fraction that encodes the row and the column). A test that knows the markers
 * can search every output for them. Whole-number columns (Pregnancies, Age) are written with leading zeros but are
 * not markers: any digit string short enough to be a whole number also turns up inside figures such as
 * 0.30000000000000004.
 */
const BASE = [3, 118, 70, 27, 94, 31, 0.4, 34];
const WHOLE = new Set(['Pregnancies', 'Age']);

export interface MarkedRows {
  header: string;
  /** Each row's cells, patient_id first. */
  rows: string[][];
  /** Every marker in the rows (the decimal cells). */
  markers: string[];
}

export function markedRows(count: number, idPrefix = 'M'): MarkedRows {
  const rows: string[][] = [];
  const markers: string[] = [];
  for (let i = 0; i < count; i++) {
    const cells = [`${idPrefix}${String(i + 1).padStart(4, '0')}`];
    FEATURE_COLUMNS.forEach((column, c) => {
      const value = BASE[c] * (1 + (i % 7) / 20);
      const tenths = Math.floor((value % 1) * 10);
      const cell = WHOLE.has(column)
        ? `0000000${Math.round(value)}`
        : `${Math.floor(value)}.${tenths}${String(i).padStart(5, '0')}${c}73`;
      cells.push(cell);
      if (!WHOLE.has(column)) markers.push(cell);
    });
    rows.push(cells);
  }
  return { header: `patient_id,${FEATURE_COLUMNS.join(',')}`, rows, markers: [...new Set(markers)] };
}

/** Writes `count` marked rows as a CSV (line ends `newline`); returns the markers. */
export function writeMarkedBatch(path: string, count: number, newline = '\n'): string[] {
  const { header, rows, markers } = markedRows(count);
  writeFileSync(path, [header, ...rows.map((r) => r.join(','))].join(newline) + newline);
  return markers;
}
