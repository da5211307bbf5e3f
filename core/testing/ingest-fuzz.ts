import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { ingestCsvFile } from '../ingest/csv-ingest';
import type { CsvIngestOptions } from '../ingest/ingest-options';
import { DEFAULT_MAX_LINE_LENGTH } from '../ingest/ingest-options';
import type { ValidationReport } from '../ingest/validation-report';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { FEATURE_COLUMNS, ID_COLUMN } from '../schema/columns';
import { COLUMN_RULES, HARD_RULES, RULE_DESCRIPTIONS, type RuleCode } from '../schema/rules';
import type { ScreeningModel } from '../screening/screening-model';
import type { PatientTable } from '../table/patient-table';
import { PIMA_PATH } from './pima';
import { buildTestModel } from './test-model';

/**
 * The ingest fuzzer, on fast-check: batch files made of real Pima rows, then changed the ways clinic exports and
 * hostile files differ from the contract (cells in odd number forms, missing and extra cells, quotes, delimiters,
 * decimal commas, line ends, empty lines, encodings, fields around the line-length limit, then bytes flipped,
 * inserted or cut). Each file is read through both parse paths and its kept rows are scored with a real model.
 * A case fails when:
 * - either path throws, or the byte-level fast path and papaparse disagree (report, table, every issue), or small
 *   reads and one read of the whole file do;
 * - a row read is neither kept nor rejected by a hard rule naming its column, or rows read != kept + rejected;
 * - a file whose line structure was left intact does not read exactly its data rows;
 * - a kept value breaks its hard bounds, a score is not a finite probability, or kept != scored;
 * - a message repeats a value from the file (only patient_id may appear), or a message or value is not capped.
 * fast-check shrinks a failing file to a small one; keep that as a regression test (ingest-fuzz.test.ts).
 * Used by core/ingest/ingest-fuzz.test.ts (a few thousand cases in CI) and `npm run fuzz` (a long run).
 */

const HARD = new Set<RuleCode>(HARD_RULES);

/** The real Pima rows' 8 input cells as written in the file (Outcome dropped: a batch has none). */
const PIMA_CELLS: readonly string[][] = readFileSync(PIMA_PATH, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(',').slice(0, FEATURE_COLUMNS.length));

/** Numbers as spreadsheets, other locales and hostile files write them; none is a plain decimal in range. */
export const ODD_NUMBERS = [
  '1e309',
  '-1e309',
  '9'.repeat(400),
  '-0',
  '0x10',
  '0b101',
  'NaN',
  'Infinity',
  '-Infinity',
  '1,000',
  '1.000,5',
  '1 000',
  '1_000',
  '+5',
  ' 7 ',
  '.5',
  '5.',
  '1e2',
  '--1',
  'e5',
  '١٢٣',
  '１２',
  '=1+1',
  '',
] as const;

/** Text in a cell that no message may repeat: anything here found in a message is a leak. */
const MARKER = 'zqxmark';

/** One change to one cell, row or line that leaves the number of data rows as it was. */
type CellEdit =
  | { kind: 'odd-number'; row: number; column: number; text: string }
  | { kind: 'marker'; row: number; column: number }
  | { kind: 'drop-cell'; row: number; column: number }
  | { kind: 'extra-cell'; row: number; text: string }
  | { kind: 'quote-cell'; row: number; column: number; inner: string }
  | { kind: 'long-cell'; row: number; column: number; overLimitBy: number; digits: boolean }
  | { kind: 'patient-id'; row: number; id: string }
  | { kind: 'duplicate-id'; row: number; of: number };

/** A change to the encoded bytes that may merge, split or break lines. */
type ByteEdit =
  | { kind: 'set-byte'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'cut'; at: number }
  | { kind: 'repeat-line'; line: number; times: number };

type LineEnds = 'lf' | 'crlf' | 'cr' | 'mixed';
type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16le-bom' | 'utf16be-bom' | 'latin1';

export interface FuzzFile {
  /** Indexes into the Pima rows (wrapping), one per data row. */
  pimaRows: number[];
  cellEdits: CellEdit[];
  delimiter: ',' | ';' | '\t';
  /** With ';' only, as European exports write decimals. */
  decimalComma: boolean;
  lineEnds: LineEnds;
  /** Per line, for `mixed`. */
  mixedEnds: number[];
  trailingNewline: boolean;
  /** Empty lines inserted before these data rows. */
  emptyLinesBefore: number[];
  encoding: Encoding;
  byteEdits: ByteEdit[];
  readChunkBytes: number | undefined;
  maxLineLength: number | undefined;
}

export interface FuzzCase {
  spec: FuzzFile;
  bytes: Buffer;
  options: CsvIngestOptions;
  /** The data rows written, when no byte edit or mixed line end can have merged or split lines; else null. */
  dataRows: number | null;
  /** Texts written into cells other than patient_id that must never appear in a message. */
  markers: string[];
}

const ENDS = ['\n', '\r\n', '\r'] as const;
const REPEATED_BYTES_MAX = 1 << 18;

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function applyCellEdit(rows: string[][], edit: CellEdit, limit: number): void {
  const row = rows[edit.row % rows.length];
  // Earlier edits may have dropped cells: aim at a cell the row still has (never patient_id, at index 0).
  if (row.length < 2) return;
  const cell = (column: number) => 1 + (column % (row.length - 1));
  switch (edit.kind) {
    case 'odd-number':
      row[cell(edit.column)] = edit.text;
      return;
    case 'marker':
      row[cell(edit.column)] = `${MARKER}${edit.row}`;
      return;
    case 'drop-cell':
      row.splice(cell(edit.column), 1);
      return;
    case 'extra-cell':
      row.push(edit.text);
      return;
    case 'quote-cell':
      row[cell(edit.column)] = quoted(edit.inner === '' ? row[cell(edit.column)] : edit.inner);
      return;
    case 'long-cell': {
      const length = Math.max(1, limit + edit.overLimitBy);
      row[cell(edit.column)] = (edit.digits ? '9' : 'x').repeat(length);
      return;
    }
    case 'patient-id':
      row[0] = edit.id;
      return;
    case 'duplicate-id':
      row[0] = rows[edit.of % rows.length][0];
      return;
  }
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16le-bom':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'utf16be-bom':
      return Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    case 'latin1':
      // Accented ids, as a Windows export in Latin-1 writes them.
      return Buffer.from(text.replace(/^P/gm, 'Pé'), 'latin1');
  }
}

function applyByteEdit(bytes: Buffer, edit: ByteEdit): Buffer {
  const at = bytes.length === 0 ? 0 : edit.kind === 'repeat-line' ? 0 : edit.at % (bytes.length + 1);
  switch (edit.kind) {
    case 'set-byte': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[at % copy.length] = edit.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
    case 'cut':
      return bytes.subarray(0, at);
    case 'repeat-line': {
      const lines = bytes.toString('latin1').split('\n');
      const line = lines[edit.line % lines.length];
      // Hundreds of rows, but not hundreds of lines at the length limit: the file stays under 256 KiB.
      const times = Math.min(edit.times, Math.floor(REPEATED_BYTES_MAX / (line.length + 1)));
      lines.splice(edit.line % lines.length, 0, ...Array<string>(times).fill(line));
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

/** The file a spec describes, with what is known about it. */
export function buildCase(spec: FuzzFile): FuzzCase {
  const limit = spec.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const rows = spec.pimaRows.map((r, i) => [
    `P${String(i + 1).padStart(5, '0')}`,
    ...PIMA_CELLS[r % PIMA_CELLS.length],
  ]);
  const decimalComma = spec.decimalComma && spec.delimiter === ';';
  if (decimalComma) for (const row of rows) for (let c = 1; c < row.length; c++) row[c] = row[c].replace('.', ',');
  const markers: string[] = [];
  for (const edit of spec.cellEdits) {
    applyCellEdit(rows, edit, limit);
    if (edit.kind === 'marker') markers.push(`${MARKER}${edit.row}`);
  }
  const lines = [[ID_COLUMN, ...FEATURE_COLUMNS].join(spec.delimiter)];
  rows.forEach((row, i) => {
    for (const before of spec.emptyLinesBefore) if (before % rows.length === i) lines.push('');
    lines.push(row.join(spec.delimiter));
  });
  let text = '';
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    const end =
      spec.lineEnds === 'mixed'
        ? ENDS[(spec.mixedEnds[i % Math.max(1, spec.mixedEnds.length)] ?? 0) % 3]
        : ENDS[['lf', 'crlf', 'cr'].indexOf(spec.lineEnds)];
    text += last && !spec.trailingNewline ? line : line + end;
  });
  let bytes = encode(text, spec.encoding);
  for (const edit of spec.byteEdits) bytes = applyByteEdit(bytes, edit);
  const lineStructureIntact = spec.byteEdits.length === 0 && spec.lineEnds !== 'mixed';
  return {
    spec,
    bytes,
    dataRows: lineStructureIntact ? rows.length : null,
    markers,
    options: {
      mode: 'batch',
      // Tiny reads split every token across reads; past a hundred-odd reads they only cost time.
      readChunkBytes:
        spec.readChunkBytes !== undefined && bytes.length > spec.readChunkBytes * 128 ? 4096 : spec.readChunkBytes,
      maxLineLength: spec.maxLineLength,
    },
  };
}

const cellEdit: fc.Arbitrary<CellEdit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('odd-number' as const),
      row: fc.nat(),
      column: fc.nat(),
      text: fc.constantFrom(...ODD_NUMBERS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('odd-number' as const),
      row: fc.nat(),
      column: fc.nat(),
      text: fc.double().map(String),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('marker' as const), row: fc.nat(), column: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop-cell' as const), row: fc.nat(), column: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('extra-cell' as const),
      row: fc.nat(),
      text: fc.constantFrom('', '1', 'x'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('quote-cell' as const),
      row: fc.nat(),
      column: fc.nat(),
      inner: fc.constantFrom('', '1,5', 'a\nb', 'x"y', ' 12 ', '\r'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('long-cell' as const),
      row: fc.nat(),
      column: fc.nat(),
      overLimitBy: fc.integer({ min: -80, max: 8 }),
      digits: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('patient-id' as const),
      row: fc.nat(),
      id: fc.constantFrom('', ' ', 'P 1', 'x'.repeat(65), '=HYPERLINK("x")', 'é数', quoted('a,b')),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-id' as const), row: fc.nat(), of: fc.nat() }) },
);

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('set-byte' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc
        .constantFrom('"', '""', '"a,b"', ',', ';', '\t', '\n', '\r', '\r\n', '\0', 'é', '数', '\ufeff')
        .map((t) => Uint8Array.from(Buffer.from(t))),
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 600 }).map((n) => Uint8Array.from(Buffer.from(`"${'y'.repeat(n)}`))),
    ),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat-line' as const), line: fc.nat(), times: fc.integer({ min: 1, max: 300 }) }),
);

/** Files, from a few rows of the Pima data to a few hundred, with the limits they are read under. */
export const fuzzFileArbitrary: fc.Arbitrary<FuzzFile> = fc.record({
  pimaRows: fc.oneof(
    { weight: 5, arbitrary: fc.array(fc.nat(PIMA_CELLS.length - 1), { minLength: 1, maxLength: 30 }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 400 }).chain((n) => fc.constant(Array.from({ length: n }, (_, i) => i))),
    },
  ),
  cellEdits: fc.array(cellEdit, { maxLength: 4 }),
  delimiter: fc.constantFrom(',' as const, ',' as const, ';' as const, '\t' as const),
  decimalComma: fc.boolean(),
  lineEnds: fc.constantFrom('lf' as const, 'crlf' as const, 'cr' as const, 'mixed' as const),
  mixedEnds: fc.array(fc.nat(2), { maxLength: 6 }),
  trailingNewline: fc.boolean(),
  emptyLinesBefore: fc.array(fc.nat(), { maxLength: 2 }),
  encoding: fc.constantFrom<Encoding>(
    'utf8',
    'utf8',
    'utf8',
    'utf8-bom',
    'utf16le',
    'utf16le-bom',
    'utf16be-bom',
    'latin1',
  ),
  byteEdits: fc.oneof(
    { weight: 1, arbitrary: fc.constant<ByteEdit[]>([]) },
    { weight: 1, arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 3 }) },
  ),
  readChunkBytes: fc.constantFrom(7, 61, 4096, undefined),
  maxLineLength: fc.constantFrom(undefined, 120, 300),
});

export const fuzzCaseArbitrary: fc.Arbitrary<FuzzCase> = fuzzFileArbitrary.map(buildCase);

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

let scoringModel: Promise<ScreeningModel> | null = null;

/** The kept rows' calibrated probabilities from a real model (its ONNX export, as screening scores). */
async function scoreTable(table: PatientTable): Promise<Float64Array> {
  scoringModel ??= buildTestModel();
  const model = await scoringModel;
  const scores = new Float64Array(table.rowCount);
  if (table.rowCount > 0) {
    const input = toFloat32RowMajor(transformFeatures(model.preprocess, table));
    await model.scorer.scoreInto(input, table.rowCount, scores);
  }
  return scores;
}

const TEMPLATE_TEXT = Object.values(RULE_DESCRIPTIONS).join(' ');

/** Every message the report holds: the file's, the hold's and each issue's. */
function messagesOf(report: ValidationReport): string[] {
  return [
    report.fileError?.message ?? '',
    report.hold?.message ?? '',
    ...report.errors.map((e) => e.message),
    ...report.warnings.map((w) => w.message),
  ];
}

function leaks(c: FuzzCase, report: ValidationReport): string[] {
  const odd = c.spec.cellEdits.flatMap((e) => (e.kind === 'odd-number' ? [e.text] : []));
  // Short texts ("-0", "1e2") occur in line numbers and bounds; longer ones in a message come from the file.
  const values = [...c.markers, ...odd].filter((v) => v.trim().length >= 4 && !TEMPLATE_TEXT.includes(v.trim()));
  const problems: string[] = [];
  for (const message of messagesOf(report)) {
    for (const value of values) {
      if (message.includes(value.trim())) problems.push(`a message repeats a cell value: ${message.slice(0, 120)}`);
    }
  }
  return problems;
}

function rowAccounting(c: FuzzCase, report: ValidationReport): string[] {
  const problems: string[] = [];
  if (report.rowsRead !== report.rowsValid + report.rowsRejected) {
    problems.push(`rows read ${report.rowsRead} != valid ${report.rowsValid} + rejected ${report.rowsRejected}`);
  }
  if (c.dataRows !== null && report.rowsRead !== c.dataRows) {
    problems.push(`${c.dataRows} data rows written but ${report.rowsRead} read`);
  }
  let ruled = 0;
  for (const [rule, n] of Object.entries(report.rejectedByRule)) {
    if (!HARD.has(rule as RuleCode)) problems.push(`rows rejected by ${rule}, not a hard rule`);
    ruled += n ?? 0;
  }
  // Each rejected row counts each of its rules once, and has at least one.
  if (ruled < report.rowsRejected) problems.push(`${report.rowsRejected} rows rejected but ${ruled} rule counts`);
  // The listing cap is far above these files' size: every rejected row is listed, by line, with rule and column.
  const rejectedLines = new Set(report.errors.map((e) => e.line));
  if (report.unlistedErrors > 0) problems.push(`${report.unlistedErrors} errors not listed`);
  if (rejectedLines.size !== report.rowsRejected) {
    problems.push(`${report.rowsRejected} rows rejected but ${rejectedLines.size} lines listed with an error`);
  }
  for (const issue of [...report.errors, ...report.warnings]) {
    if (!issue.rule || !issue.column) problems.push(`line ${issue.line}: an issue without a rule or column`);
    if (issue.severity === 'error' && !HARD.has(issue.rule)) problems.push(`an error by ${issue.rule}`);
    if (issue.value.length > 65) problems.push(`a listed value of ${issue.value.length} characters`);
    if (issue.message.length >= 400) problems.push(`a message of ${issue.message.length} characters`);
  }
  return problems;
}

async function keptAndScored(table: PatientTable, report: ValidationReport): Promise<string[]> {
  const problems: string[] = [];
  if (table.rowCount !== report.rowsValid) problems.push('the table and rowsValid disagree');
  for (const column of FEATURE_COLUMNS) {
    for (const value of table.features[column]) {
      if (!(value >= 0 && value <= COLUMN_RULES[column].max)) problems.push(`kept ${column} = ${value}`);
    }
  }
  if (report.hold !== null) return problems;
  const scores = await scoreTable(table);
  if (scores.length !== report.rowsValid) problems.push(`${report.rowsValid} rows kept but ${scores.length} scored`);
  for (const score of scores) {
    if (!(score >= 0 && score <= 1)) problems.push(`a score of ${score}`);
  }
  return problems;
}

/** Runs one case; returns what is wrong with it (empty when nothing). */
export async function checkCase(dir: string, c: FuzzCase): Promise<string[]> {
  const path = join(dir, `fuzz-${process.pid}.csv`);
  writeFileSync(path, c.bytes);
  const problems: string[] = [];
  try {
    const fast = await ingestCsvFile(path, { ...c.options, fastPath: true });
    const papaparse = await ingestCsvFile(path, { ...c.options, fastPath: false });
    if (!isDeepStrictEqual(canonical(fast), canonical(papaparse))) {
      problems.push('the fast path and papaparse disagree');
    }
    if (c.options.readChunkBytes !== undefined) {
      // Where reads split the file must not change what is read.
      const oneRead = await ingestCsvFile(path, { ...c.options, readChunkBytes: undefined });
      // A file refused as a whole must be refused whatever the reads; which of its faults is named (a NUL byte or
      // an overlong header, say) may depend on how much had been read when the first was found.
      const outcome = (r: typeof fast) => (r.report.status === 'rejected' ? 'file refused' : canonical(r));
      if (!isDeepStrictEqual(outcome(fast), outcome(oneRead))) {
        problems.push(`reads of ${c.options.readChunkBytes} bytes and one read disagree`);
      }
    }
    const report = fast.report;
    problems.push(...leaks(c, report));
    if (report.status === 'rejected') {
      if (!report.fileError) problems.push('a rejected file without a file error');
      if ((report.fileError?.message.length ?? 0) >= 400) problems.push('the file error message is not capped');
      // A plain UTF-8 file of Pima rows with its header and lines intact is always read.
      if (c.dataRows !== null && (c.spec.encoding === 'utf8' || c.spec.encoding === 'utf8-bom')) {
        problems.push(`an intact UTF-8 file rejected: ${report.fileError?.code}`);
      }
      return problems;
    }
    problems.push(...rowAccounting(c, report));
    if (fast.ok) problems.push(...(await keptAndScored(fast.table, report)));
    else if (report.rowsValid > 0) problems.push(`${report.rowsValid} rows valid but no table`);
  } catch (error) {
    problems.push(`threw: ${(error as Error).stack ?? error}`);
  } finally {
    rmSync(path, { force: true });
  }
  return [...new Set(problems)];
}

/** The property every generated file must have. */
export function ingestProperty(dir: string): fc.IAsyncPropertyWithHooks<[FuzzCase]> {
  return fc.asyncProperty(fuzzCaseArbitrary, async (c) => {
    const problems = await checkCase(dir, c);
    if (problems.length > 0) throw new Error(problems.join('; '));
  });
}

export interface FuzzRun {
  cases: number;
  seed: number;
  failed: boolean;
  /** fast-check's replay path of the shrunk counterexample, and the counterexample itself. */
  path: string | null;
  counterexample: FuzzCase | null;
  error: string | null;
  elapsedMs: number;
}

/** `runs` cases from `seed` (random when not given); on a failure, the shrunk counterexample and how to replay it. */
export async function fuzzIngest(options: {
  dir: string;
  runs: number;
  seed?: number;
  path?: string;
  interruptAfterMs?: number;
}): Promise<FuzzRun> {
  const started = performance.now();
  const details = await fc.check(ingestProperty(options.dir), {
    numRuns: options.runs,
    seed: options.seed,
    path: options.path,
    interruptAfterTimeLimit: options.interruptAfterMs,
    markInterruptAsFailure: false,
  });
  return {
    cases: details.numRuns,
    seed: details.seed,
    failed: details.failed,
    path: details.failed ? details.counterexamplePath : null,
    counterexample: details.counterexample?.[0] ?? null,
    error: details.failed
      ? String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance)
      : null,
    elapsedMs: performance.now() - started,
  };
}
