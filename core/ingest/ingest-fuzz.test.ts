import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { COLUMN_RULES, HARD_RULES, type RuleCode } from '../schema/rules';
import { seededRandom } from '../util/seeded-random';
import { ingestCsvFile } from './csv-ingest';
import type { CsvIngestOptions } from './ingest-options';

/**
 * Property test: valid Pima-like batch files, mutated at random (bytes, quotes, delimiters, encodings, line ends,
 * lengths, overflowing numbers), must never throw; the fast path and papaparse must agree; every row read is
 * either kept or rejected with a hard rule, and the counts add up. Seeded, so a failure names its case.
 */

const CASES = Number(process.env.FUZZ_CASES ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fuzz-'));
const HARD = new Set<RuleCode>(HARD_RULES);

function validFile(random: () => number): string {
  const lines = [`patient_id,${FEATURE_COLUMNS.join(',')}`];
  const rows = 1 + Math.floor(random() * 40);
  for (let n = 1; n <= rows; n++) {
    const cells = [`P${String(n).padStart(5, '0')}`];
    const base = [3, 120, 70, 25, 90, 31.6, 0.47, 35];
    for (let c = 0; c < 8; c++) {
      const v = base[c] * (0.3 + random() * 1.4);
      cells.push(c === 0 || c === 7 ? String(Math.round(v)) : v.toFixed(c === 6 ? 3 : 1));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

type Mutation = (bytes: Buffer, random: () => number) => Buffer;

function at(bytes: Buffer, random: () => number): number {
  return Math.floor(random() * (bytes.length + 1));
}

function insert(bytes: Buffer, position: number, text: string | Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, position), Buffer.from(text), bytes.subarray(position)]);
}

const MUTATIONS: Mutation[] = [
  // A random byte overwritten (any value, NUL and invalid UTF-8 included).
  (b, r) => {
    const copy = Buffer.from(b);
    if (copy.length > 0) copy[Math.floor(r() * copy.length)] = Math.floor(r() * 256);
    return copy;
  },
  (b, r) => insert(b, at(b, r), '"'),
  (b, r) => insert(b, at(b, r), [',', ';', '\t', ',,'][Math.floor(r() * 4)]),
  (b, r) => insert(b, at(b, r), ['\n', '\r', '\r\n', '\n\n'][Math.floor(r() * 4)]),
  (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r'), 'latin1'),
  (b) => Buffer.from(b.toString('latin1').replace(/,/g, ';').replace(/\./g, ','), 'latin1'),
  (b, r) => insert(b, at(b, r), Buffer.from('é', r() < 0.5 ? 'utf8' : 'latin1')),
  (b, r) => insert(b, at(b, r), '数'),
  (b) => insert(b, 0, '\ufeff'),
  (b, r) => b.subarray(0, at(b, r)),
  (b, r) => insert(b, at(b, r), ['1e309', 'Infinity', '-1', 'NaN', '9'.repeat(400), ' '][Math.floor(r() * 6)]),
  (b, r) => insert(b, at(b, r), 'x'.repeat(Math.floor(r() * 600))),
  (b, r) => insert(b, at(b, r), `"${'y'.repeat(Math.floor(r() * 600))}`),
  (b, r) => {
    const lines = b.toString('latin1').split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[Math.floor(r() * lines.length)]);
    return Buffer.from(lines.join('\n'), 'latin1');
  },
];

const READS = [7, 61, 4096, undefined];
const LIMITS = [undefined, 120, 300];

test(`${CASES} mutated Pima-like files: no throw, both paths agree, every row kept or rejected by a rule`, async () => {
  for (let seed = 1; seed <= CASES; seed++) {
    const random = seededRandom(seed * 7919);
    let bytes: Buffer = Buffer.from(validFile(random));
    const count = 1 + Math.floor(random() * 4);
    for (let m = 0; m < count; m++) bytes = MUTATIONS[Math.floor(random() * MUTATIONS.length)](bytes, random);
    const path = join(dir, `fuzz-${seed}.csv`);
    writeFileSync(path, bytes);
    const options: CsvIngestOptions = {
      mode: 'batch',
      readChunkBytes: READS[Math.floor(random() * READS.length)],
      maxLineLength: LIMITS[Math.floor(random() * LIMITS.length)],
    };
    const fast = await ingestCsvFile(path, { ...options, fastPath: true });
    const papaparse = await ingestCsvFile(path, { ...options, fastPath: false });
    expect(fast, `seed ${seed}`).toEqual(papaparse);

    const report = fast.report;
    if (report.status === 'rejected') {
      expect(report.fileError?.message.length ?? 0, `seed ${seed}`).toBeLessThan(400);
      continue;
    }
    expect(report.rowsRead, `seed ${seed}`).toBe(report.rowsValid + report.rowsRejected);
    expect(fast.ok && fast.table.rowCount, `seed ${seed}`).toBe(report.rowsValid);
    let ruled = 0;
    for (const [rule, n] of Object.entries(report.rejectedByRule)) {
      expect(HARD.has(rule as RuleCode), `seed ${seed} ${rule}`).toBe(true);
      ruled += n ?? 0;
    }
    // Each rejected row counts each of its rules once, and has at least one.
    expect(ruled, `seed ${seed}`).toBeGreaterThanOrEqual(report.rowsRejected);
    if (report.rowsRejected > 0) expect(report.errors.length + report.unlistedErrors).toBeGreaterThan(0);
    for (const issue of [...report.errors, ...report.warnings]) {
      expect(issue.value.length, `seed ${seed}`).toBeLessThanOrEqual(65);
      expect(issue.message.length, `seed ${seed}`).toBeLessThan(400);
    }
    if (fast.ok) {
      for (const column of FEATURE_COLUMNS) {
        for (const value of fast.table.features[column]) {
          expect(value >= 0 && value <= COLUMN_RULES[column].max, `seed ${seed} ${column}=${value}`).toBe(true);
        }
      }
    }
  }
}, 120_000);
