import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ingestCsvFile } from '../ingest/csv-ingest';
import type { CsvIngestOptions } from '../ingest/ingest-options';
import { FEATURE_COLUMNS } from '../schema/columns';
import { COLUMN_RULES, HARD_RULES, type RuleCode } from '../schema/rules';
import { seededRandom } from '../util/seeded-random';

/**
 * The ingest fuzzer: valid Pima-like batch files, mutated at random (bytes, quotes, delimiters, encodings such as
 * UTF-16 and Latin-1 with or without a BOM, line ends, lengths, overflowing numbers), each read through both parse
 * paths. A case fails when either path throws, the byte-level fast path and papaparse disagree, a row read is
 * neither kept nor rejected with a hard rule, the counts do not add up, a message or listed value is not capped,
 * or a kept value breaks its hard bounds. Each case is seeded on its own, so a failure names the seed that replays it.
 * Used by core/ingest/ingest-fuzz.test.ts (a few thousand cases in CI) and `npm run fuzz` (a long run).
 */

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

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];

/** UTF-16 (little- or big-endian), with its BOM or without. */
function utf16(bytes: Buffer, random: () => number): Buffer {
  const le = Buffer.from(bytes.toString('utf8'), 'utf16le');
  const body = random() < 0.5 ? le : Buffer.from(le).swap16();
  if (random() < 0.3) return body;
  return Buffer.concat([Buffer.from(body === le ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

export const MUTATIONS: readonly Mutation[] = [
  // A random byte overwritten (any value, NUL and invalid UTF-8 included).
  (b, r) => {
    const copy = Buffer.from(b);
    if (copy.length > 0) copy[Math.floor(r() * copy.length)] = Math.floor(r() * 256);
    return copy;
  },
  (b, r) => insert(b, at(b, r), Buffer.from([0])),
  (b, r) => insert(b, at(b, r), '"'),
  // A quoted field holding a delimiter, a quote or a line break.
  (b, r) => insert(b, at(b, r), pick(['"a,b"', '"x""y"', '"line\nbreak"', '"', '""'], r)),
  (b, r) => insert(b, at(b, r), pick([',', ';', '\t', ',,', '|'], r)),
  (b, r) => insert(b, at(b, r), pick(['\n', '\r', '\r\n', '\n\n'], r)),
  (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r'), 'latin1'),
  (b) => Buffer.from(b.toString('latin1').replace(/,/g, ';').replace(/\./g, ','), 'latin1'),
  (b) => Buffer.from(b.toString('latin1').replace(/,/g, '\t'), 'latin1'),
  (b, r) => insert(b, at(b, r), Buffer.from('é', r() < 0.5 ? 'utf8' : 'latin1')),
  (b, r) => insert(b, at(b, r), '数'),
  // The whole file in another encoding: UTF-16, or Latin-1 holding accented ids.
  utf16,
  (b) => Buffer.from(b.toString('latin1').replace(/P0/g, 'Pé'), 'latin1'),
  (b) => insert(b, 0, '\ufeff'),
  (b, r) => b.subarray(0, at(b, r)),
  (b, r) => insert(b, at(b, r), pick(['1e309', 'Infinity', '-1', 'NaN', '9'.repeat(400), ' ', '0x1F', '1_000'], r)),
  (b, r) => insert(b, at(b, r), pick(['=cmd|/C calc', '+1+1', '-2', '@SUM(A1)'], r)),
  (b, r) => insert(b, at(b, r), 'x'.repeat(Math.floor(r() * 600))),
  (b, r) => insert(b, at(b, r), `"${'y'.repeat(Math.floor(r() * 600))}`),
  (b, r) => {
    const lines = b.toString('latin1').split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[Math.floor(r() * lines.length)]);
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  // A line dropped, or many lines repeated: lengths from empty to thousands of rows.
  (b, r) => {
    const lines = b.toString('latin1').split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  (b, r) => {
    const lines = b.toString('latin1').split('\n');
    const extra = Array.from({ length: Math.floor(r() * 400) }, () => lines[1 + Math.floor(r() * (lines.length - 1))]);
    return Buffer.from([...lines, ...extra].join('\n'), 'latin1');
  },
];

const READS = [7, 61, 4096, undefined];
const LIMITS = [undefined, 120, 300];

export interface FuzzCase {
  seed: number;
  bytes: Buffer;
  options: CsvIngestOptions;
}

/** The file and options of one case: the same seed always gives the same case. */
export function fuzzCase(seed: number): FuzzCase {
  const random = seededRandom(seed * 7919);
  let bytes: Buffer = Buffer.from(validFile(random));
  const count = 1 + Math.floor(random() * 4);
  for (let m = 0; m < count; m++) bytes = pick(MUTATIONS, random)(bytes, random);
  const read = pick(READS, random);
  const options: CsvIngestOptions = {
    mode: 'batch',
    // Tiny reads split every token across reads; on a long file they only cost time.
    readChunkBytes: read !== undefined && read < 100 && bytes.length > 8192 ? 4096 : read,
    maxLineLength: pick(LIMITS, random),
  };
  return { seed, bytes, options };
}

/** Typed arrays as plain arrays and undefined properties dropped, so that two results compare by content. */
function canonical(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = canonical(v);
    return out;
  }
  return value;
}

/** Runs one case; returns what is wrong with it (empty when nothing). */
export async function checkCase(dir: string, c: FuzzCase): Promise<string[]> {
  const path = join(dir, `fuzz-${c.seed}.csv`);
  writeFileSync(path, c.bytes);
  const problems: string[] = [];
  try {
    const fast = await ingestCsvFile(path, { ...c.options, fastPath: true });
    const papaparse = await ingestCsvFile(path, { ...c.options, fastPath: false });
    if (!isDeepStrictEqual(canonical(fast), canonical(papaparse))) {
      problems.push('the fast path and papaparse disagree');
    }
    const report = fast.report;
    if (report.status === 'rejected') {
      if ((report.fileError?.message.length ?? 0) >= 400) problems.push('the file error message is not capped');
      return problems;
    }
    if (report.rowsRead !== report.rowsValid + report.rowsRejected) {
      problems.push(`rows read ${report.rowsRead} != valid ${report.rowsValid} + rejected ${report.rowsRejected}`);
    }
    if (fast.ok && fast.table.rowCount !== report.rowsValid) problems.push('the table and rowsValid disagree');
    let ruled = 0;
    for (const [rule, n] of Object.entries(report.rejectedByRule)) {
      if (!HARD.has(rule as RuleCode)) problems.push(`rows rejected by ${rule}, not a hard rule`);
      ruled += n ?? 0;
    }
    // Each rejected row counts each of its rules once, and has at least one.
    if (ruled < report.rowsRejected) problems.push(`${report.rowsRejected} rows rejected but ${ruled} rule counts`);
    if (report.rowsRejected > 0 && report.errors.length + report.unlistedErrors === 0) {
      problems.push('rows rejected with no error listed or counted');
    }
    for (const issue of [...report.errors, ...report.warnings]) {
      if (issue.value.length > 65) problems.push(`a listed value of ${issue.value.length} characters`);
      if (issue.message.length >= 400) problems.push(`a message of ${issue.message.length} characters`);
      if (!issue.rule) problems.push(`line ${issue.line}: an issue without a rule`);
    }
    if (fast.ok) {
      for (const column of FEATURE_COLUMNS) {
        for (const value of fast.table.features[column]) {
          if (!(value >= 0 && value <= COLUMN_RULES[column].max)) problems.push(`kept ${column} = ${value}`);
        }
      }
    }
  } catch (error) {
    problems.push(`threw: ${(error as Error).stack ?? error}`);
  } finally {
    rmSync(path, { force: true });
  }
  return [...new Set(problems)];
}

export interface FuzzRun {
  cases: number;
  failures: { seed: number; problems: string[] }[];
  elapsedMs: number;
  /** The first seed and the number of cases asked for, to replay the run. */
  firstSeed: number;
  stoppedByTime: boolean;
}

/** Cases firstSeed, firstSeed + 1, ... until `cases` ran or `timeBudgetMs` passed. */
export async function fuzzIngest(options: {
  dir: string;
  cases: number;
  firstSeed?: number;
  timeBudgetMs?: number;
  onCase?: (seed: number, problems: string[]) => void;
}): Promise<FuzzRun> {
  const started = performance.now();
  const firstSeed = options.firstSeed ?? 1;
  const failures: FuzzRun['failures'] = [];
  let cases = 0;
  let stoppedByTime = false;
  for (let seed = firstSeed; seed < firstSeed + options.cases; seed++) {
    if (options.timeBudgetMs !== undefined && performance.now() - started > options.timeBudgetMs) {
      stoppedByTime = true;
      break;
    }
    const problems = await checkCase(options.dir, fuzzCase(seed));
    cases++;
    if (problems.length > 0) failures.push({ seed, problems });
    options.onCase?.(seed, problems);
  }
  return { cases, failures, elapsedMs: performance.now() - started, firstSeed, stoppedByTime };
}
