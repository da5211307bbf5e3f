import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { pimaPath } from '../testing/pima';
import { seededRandom } from '../util/seeded-random';
import { ingestCsvFile } from './csv-ingest';
import type { CsvIngestOptions, FeatureRange } from './ingest-options';

/**
 * The byte-level fast path must read every file exactly as the papaparse path does: the same report (counts,
 * every listed error and warning in the same order, file errors), the same rows, values, ids and line numbers, the
 * same hash. Files are generated from a grammar of good and bad cells, line ends, delimiters, quotes and non-ASCII
 * text, and read at several chunk sizes so that rows, CRLFs and multi-byte characters straddle reads.
 */

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fastpath-'));
let counter = 0;

/** Narrower than Pima's, so that the generated values also raise far-outside-training warnings. */
const TRAINING_RANGE: FeatureRange = {
  min: Object.fromEntries(FEATURE_COLUMNS.map((c, i) => [c, [0, 60, 40, 10, 20, 20, 0.1, 21][i]])) as never,
  max: Object.fromEntries(FEATURE_COLUMNS.map((c, i) => [c, [10, 150, 90, 30, 150, 40, 1, 50][i]])) as never,
};

/** Declared in the header of some generated files: both paths must convert exactly alike. */
const HEADER_UNITS: Partial<Record<string, string>> = { Glucose: 'mmol/L', Insulin: 'pmol/L' };

interface Dialect {
  delimiter: ',' | ';' | '\t';
  newline: '\n' | '\r\n';
}

function cell(random: () => number, column: number, decimalComma: boolean): string {
  const r = random();
  const point = decimalComma ? ',' : '.';
  const base = [2, 120, 70, 25, 90, 31.6, 0.472, 35][column];
  if (r < 0.8) {
    const v = Math.max(0, base * (0.3 + random() * 1.4));
    const integer = column === 0 || column === 7;
    return integer ? String(Math.round(v)) : v.toFixed(column === 6 ? 3 : 1).replace('.', point);
  }
  const odd = [
    '',
    ' 12',
    '12 ',
    '-3',
    '+4',
    '1e2',
    '0x10',
    'abc',
    `1${point}2${point}3`,
    `${point}5`,
    `5${point}`,
    '00012',
    '1234567890123456',
    '0.1234567890123456789012345',
    '999999',
    '3.5',
    '121',
    '0',
    '25\r',
    'NaN',
    'Infinity',
  ];
  return odd[Math.floor(random() * odd.length)];
}

function patientId(random: () => number, n: number, allowSpecial: boolean): string {
  const r = random();
  if (r < 0.85) return `P${String(n).padStart(6, '0')}`;
  if (r < 0.9) return `P${String(Math.floor(random() * n) + 1).padStart(6, '0')}`; // a duplicate, most likely
  const odd = ['', ' P1 ', 'P8 ', ' P9', 'P10\t', 'X'.repeat(70), 'P\t2', 'Q-1', '=cmd', 'P 3'];
  const special = ['"P,4"', 'Pé5', '"P""6"', 'P数7'];
  const pool = allowSpecial ? [...odd, ...special] : odd;
  return pool[Math.floor(random() * pool.length)];
}

/** A file of `rows` lines in `dialect`; `special` allows quotes, non-ASCII and bare LFs in CRLF files. */
function generate(
  seed: number,
  rows: number,
  dialect: Dialect,
  special: boolean,
  training = false,
  units: Partial<Record<string, string>> = {},
): string {
  const random = seededRandom(seed);
  const decimalComma = dialect.delimiter !== ',';
  const features = FEATURE_COLUMNS.map((c) => (units[c] ? `${c} (${units[c]})` : c));
  const names = ['patient_id', ...features, ...(training ? ['Outcome'] : []), 'note'];
  const lines = [names.join(dialect.delimiter)];
  for (let n = 1; n <= rows; n++) {
    const r = random();
    if (r < 0.02) {
      lines.push(['', ' ', '\t', '\r'][Math.floor(random() * 4)]);
      continue;
    }
    const cells = [patientId(random, n, special)];
    for (let c = 0; c < 8; c++) cells.push(cell(random, c, decimalComma));
    if (training) cells.push(['0', '1', '1', '0', '2', ' 1', ''][Math.floor(random() * 7)]);
    cells.push(random() < 0.9 ? '' : 'free text');
    if (r < 0.04) cells.pop();
    else if (r < 0.06) cells.push('');
    else if (r < 0.07) cells.push('extra');
    let line = cells.join(dialect.delimiter);
    if (special && random() < 0.01) line = line.replace(dialect.delimiter, `${dialect.delimiter}"`);
    lines.push(line);
  }
  let text = lines.join(dialect.newline);
  if (special && dialect.newline === '\r\n' && random() < 0.5) {
    const at = text.indexOf('\r\n', Math.floor(text.length / 2));
    if (at > 0) text = `${text.slice(0, at)}\n${text.slice(at + 2)}`;
  }
  if (random() < 0.7) text += dialect.newline;
  else if (random() < 0.5) text += '\r';
  return text;
}

async function both(content: string | Buffer, options: Omit<CsvIngestOptions, 'fastPath'>) {
  const path = join(dir, `case-${++counter}.csv`);
  writeFileSync(path, content);
  const fast = await ingestCsvFile(path, { ...options, fastPath: true });
  const papaparse = await ingestCsvFile(path, { ...options, fastPath: false });
  return { fast, papaparse };
}

const DIALECTS: Dialect[] = [
  { delimiter: ',', newline: '\n' },
  { delimiter: ',', newline: '\r\n' },
  { delimiter: ';', newline: '\r\n' },
  { delimiter: '\t', newline: '\n' },
];

describe('the byte-level fast path reads every file as papaparse does', () => {
  let seed = 1;
  for (const dialect of DIALECTS) {
    for (const special of [false, true]) {
      for (const readChunkBytes of [61, 4096, undefined]) {
        // Reads of 4096 bytes also declare units in the header, so that the conversion is compared too.
        const units = readChunkBytes === 4096 ? HEADER_UNITS : {};
        const name = `${JSON.stringify(dialect.delimiter)} ${JSON.stringify(dialect.newline)}${special ? ', with quotes / non-ASCII / bare LF' : ''}, reads of ${readChunkBytes ?? 'default'} bytes${readChunkBytes === 4096 ? ', Glucose (mmol/L) and Insulin (pmol/L)' : ''}`;
        const fileSeed = seed++;
        test(name, async () => {
          const content = generate(fileSeed, 1500, dialect, special, false, units);
          const { fast, papaparse } = await both(content, {
            mode: 'batch',
            trainingRange: TRAINING_RANGE,
            readChunkBytes,
            maxListedIssues: 100_000,
          });
          expect(fast).toEqual(papaparse);
          // The generator must produce what the comparison is about: valid rows, errors and warnings.
          expect(papaparse.report.rowsValid).toBeGreaterThan(100);
          expect(papaparse.report.rowsRejected).toBeGreaterThan(100);
          expect(papaparse.report.warnings.length).toBeGreaterThan(10);
          expect(papaparse.report.warningsByRule.outside_training_range).toBeGreaterThan(10);
          expect(papaparse.report.units.length).toBe(Object.keys(units).length);
        });
      }
    }
  }

  test('reads far larger than the fast path decodes to text at a time: ids and rejected rows across its windows', async () => {
    for (const dialect of DIALECTS) {
      // About 0.5 MB: many 64 KiB text windows inside each default read.
      const content = generate(seed++, 12_000, dialect, true, false);
      const { fast, papaparse } = await both(content, {
        mode: 'batch',
        trainingRange: TRAINING_RANGE,
        maxListedIssues: 100_000,
      });
      expect(content.length).toBeGreaterThan(4 * 65_536);
      expect(fast).toEqual(papaparse);
      expect(papaparse.report.rowsValid).toBeGreaterThan(1000);
      expect(papaparse.report.rowsRejected).toBeGreaterThan(1000);
    }
  });

  test('every alignment of a row against the text windows: each id and row read whole', async () => {
    const header = `patient_id,${FEATURE_COLUMNS.join(',')}`;
    const rows = Array.from({ length: 2000 }, (_, i) => `P${i},6,148,72,35,0,33.6,0.627,50`).join('\n');
    // Shifting everything after the first row by 0..39 bytes puts a window's end at every offset of a row.
    for (let shift = 0; shift < 40; shift++) {
      const content = `${header}\nQ${'x'.repeat(shift)},1,2,3,4,5,6,0.5,30\n${rows}\n-1,bad,row\n${rows}\n`;
      const { fast, papaparse } = await both(content, { mode: 'batch', maxListedIssues: 100_000 });
      expect(fast).toEqual(papaparse);
      expect(fast.ok && fast.table.ids.slice(-2)).toEqual(['P1998', 'P1999']);
    }
  });

  test('training mode (Outcome) and the listed-issue cap', async () => {
    for (const dialect of DIALECTS) {
      const content = generate(seed++, 2000, dialect, false, true);
      const { fast, papaparse } = await both(content, { mode: 'training', maxListedIssues: 50, readChunkBytes: 997 });
      expect(fast).toEqual(papaparse);
      expect(papaparse.report.unlistedErrors).toBeGreaterThan(0);
    }
  });

  test('the Pima file', async () => {
    const { readFileSync } = await import('node:fs');
    const { fast, papaparse } = await both(readFileSync(pimaPath()), { mode: 'training' });
    expect(fast.ok && fast.table.rowCount).toBe(768);
    expect(fast).toEqual(papaparse);
  });

  test('edge files: no trailing newline, CR-only end, BOM, blank lines, header-only, late non-ASCII', async () => {
    const header = `patient_id,${FEATURE_COLUMNS.join(',')}`;
    const row = 'P1,6,148,72,35,0,33.6,0.627,50';
    const cases: (string | Buffer)[] = [
      `${header}\n${row}`,
      `${header}\n${row}\r`,
      `${header}\r\n${row}\r`,
      `\ufeff${header}\r\n${row}\r\n\r\n`,
      `${header}\n\n\n${row}\n  \n`,
      `${header}\n`,
      `${header}`,
      `${header}\n${row}\n${row.replace('P1', 'P2')}\n`.repeat(3),
      `${header}\n${`${row}\n`.repeat(500)}P9,1,2,3,4,5,6,7,8\nPé,1,2,3,4,5,6,7,8\n`,
      Buffer.concat([Buffer.from(`${header}\n${`${row}\n`.repeat(500)}`), Buffer.from([0x50, 0xe9, 0x0a])]),
      Buffer.concat([Buffer.from(`${header}\n${`${row}\n`.repeat(500)}`), Buffer.from([0x50, 0xc3])]),
      `${header}\r\n${row}\r\n${row}\n${row}\r\n`,
      `${header}\n${row}\r\n${row}\r\r\n`,
    ];
    for (const content of cases) {
      for (const readChunkBytes of [5, 64, undefined]) {
        const { fast, papaparse } = await both(content, { mode: 'batch', readChunkBytes });
        expect(fast).toEqual(papaparse);
      }
    }
  });
});
