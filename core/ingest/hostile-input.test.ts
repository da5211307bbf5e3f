import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { ingestCsvFile } from './csv-ingest';
import type { CsvIngestOptions } from './ingest-options';
import { describeReport } from './validation-report';

/**
 * Files an attacker or a confused export could produce: numbers that overflow, line endings that hide the rows,
 * headers and fields far larger than any clinic export. Every case is read through both parse paths (the
 * byte-level fast path and papaparse), which must agree.
 */

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-hostile-'));
let counter = 0;

const HEADER = `patient_id,${FEATURE_COLUMNS.join(',')}`;
const ROW_A = 'P001,6,148,72,35,0,33.6,0.627,50';
const ROW_B = 'P002,1,85,66,29,0,26.6,0.351,31';

async function both(content: string | Buffer, options: Partial<CsvIngestOptions> = {}) {
  const path = join(dir, `case-${++counter}.csv`);
  writeFileSync(path, content);
  const fast = await ingestCsvFile(path, { mode: 'batch', ...options, fastPath: true });
  const papaparse = await ingestCsvFile(path, { mode: 'batch', ...options, fastPath: false });
  expect(fast).toEqual(papaparse);
  return fast;
}

/** Every text a report holds that could be shown, stored or written to the audit trail. */
function reportTexts(result: Awaited<ReturnType<typeof both>>): string {
  return JSON.stringify(result.report) + describeReport(result.report).join('\n');
}

describe('a value must be finite after parsing', () => {
  const forms: [string, string][] = [
    ['1e309', 'out_of_range'],
    ['1e999', 'out_of_range'],
    ['Infinity', 'not_numeric'],
    ['-Infinity', 'not_numeric'],
    ['NaN', 'not_numeric'],
    ['9'.repeat(400), 'out_of_range'],
  ];
  for (const column of ['Glucose', 'BloodPressure', 'Insulin', 'BMI'] as const) {
    test(`${column}: 1e309, 1e999, Infinity, -Infinity, NaN and 400 digits are rejected, not scored`, async () => {
      const at = FEATURE_COLUMNS.indexOf(column) + 1;
      for (const [form, rule] of forms) {
        const cells = ROW_B.split(',');
        cells[at] = form;
        const result = await both(`${HEADER}\n${ROW_A}\n${cells.join(',')}\n`);
        expect(result.ok && result.table.ids, form).toEqual(['P001']);
        expect(result.report.rowsRejected, form).toBe(1);
        expect(result.report.errors, form).toHaveLength(1);
        expect(result.report.errors[0], form).toMatchObject({ line: 3, patientId: 'P002', column, rule });
        expect(result.report.errors[0].value.length, form).toBeLessThanOrEqual(65);
      }
    });
  }

  test('a value just inside the hard maximum is kept, just above it is rejected as out_of_range', async () => {
    const cells = ROW_B.split(',');
    cells[2] = '3000';
    const inside = await both(`${HEADER}\n${cells.join(',')}\n`);
    expect(inside.ok && inside.table.features.Glucose[0]).toBe(3000);
    cells[2] = '3000.5';
    const above = await both(`${HEADER}\n${cells.join(',')}\n`);
    expect(above.report.errors[0]).toMatchObject({ column: 'Glucose', rule: 'out_of_range' });
    expect(above.report.errors[0].message).toMatch(/between 0 and 3000/);
  });
});

describe('no patient data in messages', () => {
  test('a file with CR-only line ends is read row by row, in both paths', async () => {
    for (const readChunkBytes of [7, 64, undefined]) {
      const result = await both(`${HEADER}\r${ROW_A}\r${ROW_B}\r`, { readChunkBytes });
      expect(result.ok && result.table.ids).toEqual(['P001', 'P002']);
      expect(result.ok && Array.from(result.table.lineNumbers)).toEqual([2, 3]);
      expect(result.report.errors).toEqual([]);
    }
  });

  test('a CR-only file with a bad row names the line, and a CR-only file without an id column names no value', async () => {
    const bad = await both(`${HEADER}\r${ROW_A}\rP002,1,abc,66,29,0,26.6,0.351,31\r${ROW_B.replace('P002', 'P003')}`);
    expect(bad.ok && bad.table.ids).toEqual(['P001', 'P003']);
    expect(bad.report.errors[0]).toMatchObject({ line: 3, column: 'Glucose', rule: 'not_numeric' });

    const noId = `${FEATURE_COLUMNS.join(',')}\r6,148,72,35,0,33.6,0.627,50\r1,85,66,29,0,26.6,0.351,31\r`;
    const missing = await both(noId);
    expect(missing.report.fileError?.code).toBe('missing_columns');
    expect(missing.report.fileError?.message).toMatch(/missing the required column patient_id/);
    for (const value of ['148', '33.6', '0.627', '26.6']) expect(reportTexts(missing)).not.toContain(value);
  });

  test('a missing-columns message names contract columns and counts, never the header text', async () => {
    const result = await both('patient_id,Glucose,secret-note-Smith\nP1,120,x\n');
    expect(result.report.fileError?.message).toMatch(/its header line has 3 columns, 2 of them recognised/);
    expect(result.report.fileError?.message).not.toContain('Smith');
  });

  test('repeated non-contract header names are counted, not echoed', async () => {
    const result = await both(`${HEADER},148,148,33.6,33.6\n${ROW_A},1,2,3,4\n`);
    expect(result.report.fileError?.code).toBe('duplicate_headers');
    expect(result.report.fileError?.message).toMatch(/2 other column names/);
    expect(result.report.fileError?.message).not.toContain('148');
  });

  test('a 1,000,000-column header is rejected as too long with a short message', async () => {
    const header = `${HEADER},${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}`;
    const result = await both(`${header}\n${ROW_A}\n`);
    expect(result.report.fileError?.code).toBe('header_too_long');
    expect(result.report.fileError?.message).toMatch(/line 1 \(the header\) is longer than 65536 characters/);
    expect(reportTexts(result).length).toBeLessThan(1000);
    expect(reportTexts(result)).not.toContain('c12345');
  });

  test('a wide header within the limit keeps 50 capped ignored names and the count', async () => {
    const extra = Array.from({ length: 2000 }, (_, i) => `${'x'.repeat(100)}${i}`);
    const result = await both(`${HEADER},${extra.join(',')}\n${ROW_A}${',1'.repeat(2000)}\n`, {
      maxLineLength: 1 << 20,
    });
    expect(result.ok && result.table.rowCount).toBe(1);
    expect(result.report.ignoredColumnCount).toBe(2000);
    expect(result.report.ignoredColumns).toHaveLength(50);
    for (const name of result.report.ignoredColumns) expect(name.length).toBeLessThanOrEqual(65);
  });

  test('a 5 MB value is stored capped at 64 characters and an ellipsis', async () => {
    const huge = '7'.repeat(5 * 1024 * 1024);
    const cells = ROW_B.split(',');
    cells[5] = `${huge}x`;
    const result = await both(`${HEADER}\n${ROW_A}\n${cells.join(',')}\n`, { maxLineLength: 8 << 20 });
    expect(result.report.errors[0]).toMatchObject({ line: 3, column: 'Insulin', rule: 'not_numeric' });
    expect(result.report.errors[0].value).toBe(`${'7'.repeat(64)}…`);
    expect(reportTexts(result).length).toBeLessThan(2000);
  });
});

describe('hostile sizes are rejected early, the rest of the file is read', () => {
  test('a 2 MB single field is rejected as line_too_long and the rows after it are read', async () => {
    const field = 'A'.repeat(2 * 1024 * 1024);
    for (const readChunkBytes of [4096, undefined]) {
      for (const newline of ['\n', '\r\n', '\r']) {
        const content = [HEADER, ROW_A, `P002,${field}`, ROW_B.replace('P002', 'P003'), ''].join(newline);
        const result = await both(content, { readChunkBytes });
        expect(result.ok && result.table.ids).toEqual(['P001', 'P003']);
        expect(result.ok && Array.from(result.table.lineNumbers)).toEqual([2, 4]);
        expect(result.report.errors).toHaveLength(1);
        expect(result.report.errors[0]).toMatchObject({ line: 3, column: '(row)', value: '', rule: 'line_too_long' });
        expect(describeReport(result.report)[0]).toMatch(/^case-\d+\.csv: line 3, column \(row\).*longer than 65536/);
      }
    }
  });

  test('a long line that ends within one read is rejected the same way, and the limit is configurable', async () => {
    const line = `P002,${'1'.repeat(300)}`;
    const content = `${HEADER}\n${ROW_A}\n${line}\n${ROW_A.replace('P001', 'P003')}\n`;
    const strict = await both(content, { maxLineLength: 200 });
    expect(strict.ok && strict.table.ids).toEqual(['P001', 'P003']);
    expect(strict.report.rejectedByRule).toEqual({ line_too_long: 1 });
    const loose = await both(content, { maxLineLength: 1000 });
    expect(loose.report.rejectedByRule).not.toHaveProperty('line_too_long');
  });

  test('an unclosed quote before many rows is one error naming the line it opened on', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `P${i + 10},1,85,66,29,0,26.6,0.351,31`);
    const content = `${HEADER}\n${ROW_A}\n${ROW_B}\nP003,1,"85,66,29,0,26.6,0.351,31\n${rows.join('\n')}\n`;
    for (const readChunkBytes of [4096, undefined]) {
      const result = await both(content, { readChunkBytes });
      expect(result.ok && result.table.ids).toEqual(['P001', 'P002']);
      expect(result.report.rowsRejected).toBe(1);
      expect(result.report.errors).toHaveLength(1);
      expect(result.report.errors[0]).toMatchObject({ line: 4, rule: 'malformed_csv', value: '' });
      expect(result.report.errors[0].message).toMatch(/row starting on line 4 .*the rest of the file from line 4/);
      expect(result.ok && result.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('a quoted field that closes within the limit still spans lines', async () => {
    const result = await both(`${HEADER},note\n${ROW_A},"a\nb"\n${ROW_B},\n`);
    expect(result.ok && Array.from(result.table.lineNumbers)).toEqual([2, 4]);
  });
});
