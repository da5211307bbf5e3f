import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { buildCase, checkCase, type FuzzFile, fuzzCaseArbitrary, ingestProperty } from '../testing/ingest-fuzz';
import { ingestCsvFile } from './csv-ingest';

/**
 * Property test (fast-check): files of real Pima rows, changed in the ways core/testing/ingest-fuzz.ts lists,
 * never throw, read the same through both parse paths, keep or reject every row by a named rule and column, score
 * every kept row to a finite probability, and never repeat a cell value in a message. A failure prints fast-check's
 * seed and path; FUZZ_RUNS and FUZZ_SEED change the run; `npm run fuzz` is the long run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(`${RUNS} changed Pima files: no throw, both paths agree, every row kept and scored or rejected by a rule`, async () => {
  const started = performance.now();
  await fc.assert(ingestProperty(dir), { numRuns: RUNS, seed: SEED });
  console.log(`fuzzed ${RUNS} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 120_000);

test('the generated files reach every encoding, line ending, odd number and limit the fuzzer promises', () => {
  const cases = fc.sample(fuzzCaseArbitrary, { numRuns: 3000, seed: 42 });
  const starts = new Set(cases.map((c) => c.bytes.subarray(0, 2).toString('hex')));
  // UTF-16 LE and BE with their BOMs, UTF-8 with a BOM, a plain header.
  for (const start of ['fffe', 'feff', 'efbb', '7061']) expect([...starts]).toContain(start);
  const some = (predicate: (c: (typeof cases)[number]) => boolean) => cases.filter(predicate).length;
  expect(some((c) => c.bytes.includes(13) && !c.bytes.includes(10))).toBeGreaterThan(0);
  expect(some((c) => c.bytes.includes(0))).toBeGreaterThan(0);
  expect(some((c) => c.spec.delimiter === ';' && c.spec.decimalComma)).toBeGreaterThan(0);
  expect(some((c) => c.spec.cellEdits.some((e) => e.kind === 'long-cell' && e.overLimitBy > 0))).toBeGreaterThan(0);
  for (const odd of ['1e309', 'NaN', 'Infinity', '0x10', '-0', '1,000', '9'.repeat(400)]) {
    expect(some((c) => c.spec.cellEdits.some((e) => e.kind === 'odd-number' && e.text === odd))).toBeGreaterThan(0);
  }
  // Both files whose line structure is known (their data rows are counted exactly) and files whose bytes were cut.
  expect(some((c) => c.dataRows !== null)).toBeGreaterThan(500);
  expect(some((c) => c.dataRows === null)).toBeGreaterThan(500);
  expect(some((c) => c.spec.pimaRows.length > 100)).toBeGreaterThan(0);
});

const PLAIN: FuzzFile = {
  pimaRows: [0, 1, 2],
  cellEdits: [],
  delimiter: ',',
  decimalComma: false,
  lineEnds: 'lf',
  mixedEnds: [],
  trailingNewline: true,
  emptyLinesBefore: [],
  encoding: 'utf8',
  byteEdits: [],
  readChunkBytes: undefined,
  maxLineLength: undefined,
};

test('the checker itself fails a case whose promise is broken: a file of intact rows read short', async () => {
  const c = buildCase(PLAIN);
  expect(await checkCase(dir, c)).toEqual([]);
  // The same bytes claimed to hold one more data row than they do: the row count check must catch it.
  expect(await checkCase(dir, { ...c, dataRows: 4 })).toEqual(['4 data rows written but 3 read']);
  // A marker that is in the file's messages (the file name is in every message) is reported as a leak.
  const leaky = await checkCase(dir, { ...buildCase({ ...PLAIN, delimiter: '|' as ',' }), markers: ['fuzz-'] });
  expect(leaky.some((p) => p.startsWith('a message repeats a cell value'))).toBe(true);
});

/** The file of `spec` read with each read size: what each read gives. */
async function readEachWay(spec: FuzzFile, readSizes: readonly (number | undefined)[]) {
  const results = [];
  for (const readChunkBytes of readSizes) {
    const c = buildCase({ ...spec, readChunkBytes });
    const path = join(dir, `read-sizes-${readChunkBytes}.csv`);
    writeFileSync(path, c.bytes);
    results.push(await ingestCsvFile(path, { ...c.options, readChunkBytes }));
  }
  return results;
}

// Counterexamples fast-check found and shrank, kept as they were printed (`npm run fuzz`, seed 1308437989).

test('a row whose quoted field spans lines and closes, then runs past the limit, is skipped, not the rest of the file', async () => {
  const spec: FuzzFile = {
    ...PLAIN,
    pimaRows: [0, 0],
    cellEdits: [
      { kind: 'quote-cell', row: 0, column: 0, inner: 'a\nb' },
      { kind: 'long-cell', row: 0, column: 57, overLimitBy: 0, digits: false },
    ],
    trailingNewline: false,
    readChunkBytes: 7,
    maxLineLength: 120,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  // Tiny reads saw the long row before its end and took its closed quote for an unclosed one; now every read
  // size gives what one read of the whole file gives: line 2 rejected as too long, the next patient kept.
  for (const { report } of await readEachWay({ ...spec, pimaRows: [0, 0, 1] }, [7, 61, undefined])) {
    expect(report.errors.map((e) => [e.line, e.rule])).toEqual([[2, 'line_too_long']]);
    expect([report.rowsRead, report.rowsValid]).toEqual([3, 2]);
  }
});

test('in a CRLF file, a line skipped as too long ends at a CRLF, not at a bare LF, whatever the reads (seed 372263132)', async () => {
  const spec: FuzzFile = {
    ...PLAIN,
    pimaRows: [0],
    lineEnds: 'mixed',
    mixedEnds: [1],
    trailingNewline: false,
    byteEdits: [{ kind: 'repeat-line', line: 249926715, times: 115 }],
    readChunkBytes: 7,
    maxLineLength: 300,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  // 115 patients joined by bare LFs after a CRLF header are one CRLF line: one read rejects it whole, and reads that
  // split it (the CR and LF of its end too) must not pick a patient out of its tail.
  for (const { report } of await readEachWay(spec, [7, 61, 4096, 4159, undefined])) {
    expect([report.rowsRead, report.rowsValid, report.errors.map((e) => e.rule)]).toEqual([1, 0, ['line_too_long']]);
  }
});

test('rows after a skipped CRLF line holding bare LFs keep the line numbers one read gives them (seed 813653717)', async () => {
  const spec: FuzzFile = {
    ...PLAIN,
    cellEdits: [{ kind: 'odd-number', row: 0, column: 0, text: '9'.repeat(400) }],
    lineEnds: 'mixed',
    mixedEnds: [1, 0],
    trailingNewline: false,
    readChunkBytes: 7,
    maxLineLength: 120,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  for (const result of await readEachWay(spec, [7, 61, undefined])) {
    // Line 2 (P00001, ended by a bare LF) and line 3 (P00002) are one CRLF row, too long; P00003 is on line 4.
    expect(result.ok && [...result.table.lineNumbers]).toEqual([4]);
  }
});

test('a long CRLF line whose CR ends one read and LF starts the next is skipped, not the patient after it (seed 1490034512)', async () => {
  const spec: FuzzFile = {
    ...PLAIN,
    pimaRows: [0, 0],
    cellEdits: [
      { kind: 'odd-number', row: 1704742420, column: 2092496574, text: '3.620976547982801e-285' },
      { kind: 'drop-cell', row: 674936020, column: 60372954 },
      { kind: 'long-cell', row: 0, column: 350941510, overLimitBy: -45, digits: false },
    ],
    lineEnds: 'crlf',
    trailingNewline: false,
    readChunkBytes: 7,
    maxLineLength: 120,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  for (const result of await readEachWay(spec, [7, 61, undefined])) {
    expect([result.report.rowsRead, result.report.rowsValid]).toEqual([2, 1]);
  }
});

test('a quote open where its row reaches the limit is judged where the quote ends, whatever the reads', async () => {
  // Closed on a later line: one long row, skipped, and the patient after it read; never closed: the rest of the
  // file is inside the field. Either way every read size, down to one byte, reads what one read of the file reads.
  for (const [inner, expected] of [
    [`a\n${'y'.repeat(200)}`, [2, 1, [[2, 'line_too_long']]]],
    [`b${'z'.repeat(130)}`, [2, 1, [[2, 'line_too_long']]]],
  ] as const) {
    const spec: FuzzFile = {
      ...PLAIN,
      pimaRows: [0, 1],
      cellEdits: [{ kind: 'quote-cell', row: 0, column: 0, inner }],
      readChunkBytes: 7,
      maxLineLength: 120,
    };
    expect(await checkCase(dir, buildCase(spec))).toEqual([]);
    for (const { report } of await readEachWay(spec, [1, 7, 61, 128, undefined])) {
      expect([report.rowsRead, report.rowsValid, report.errors.map((e) => [e.line, e.rule])]).toEqual(expected);
    }
  }
  const header = 'patient_id,Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age';
  const path = join(dir, 'never-closes.csv');
  writeFileSync(
    path,
    `${header}\nP1,6,148,72,35,0,33.6,0.627,50\n"${'z'.repeat(130)},1\nP3,1,85,66,29,0,26.6,0.351,31\n`,
  );
  for (const readChunkBytes of [1, 7, 61, 128, undefined]) {
    const { report } = await ingestCsvFile(path, { mode: 'batch', maxLineLength: 120, readChunkBytes });
    expect([report.rowsRead, report.rowsValid, report.errors.map((e) => [e.line, e.rule])]).toEqual([
      2,
      1,
      [[3, 'malformed_csv']],
    ]);
    expect(report.errors[0].message).toMatch(
      /line 3 never closes .* the rest of the file from line 3 is inside it and not read/,
    );
  }
});

test('a long row whose quote a read ends inside, closed later by a last line without a line end, is a long row (seed 906730279)', async () => {
  const spec: FuzzFile = {
    ...PLAIN,
    pimaRows: [0, 113, 0],
    cellEdits: [
      { kind: 'quote-cell', row: 603899423, column: 1639950314, inner: '' },
      { kind: 'long-cell', row: 1023820205, column: 24732312, overLimitBy: 0, digits: false },
    ],
    trailingNewline: false,
    emptyLinesBefore: [0],
    encoding: 'utf8-bom',
    readChunkBytes: 61,
    maxLineLength: 120,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  for (const { report } of await readEachWay(spec, [7, 61, undefined])) {
    expect([report.rowsRead, report.rowsValid, report.errors.map((e) => [e.line, e.rule])]).toEqual([
      3,
      2,
      [[5, 'line_too_long']],
    ]);
  }
});

test('a quote opened after the limit and never closed makes the skipped row an unclosed quote, whatever the reads (seed 1361038199)', async () => {
  // Row 4 passes the limit before its field `""0.597` opens a quote that swallows the rest of the file.
  const spec: FuzzFile = {
    pimaRows: [0, 136, 187, 356, 29, 476, 418, 53, 95, 228, 0, 473],
    cellEdits: [
      { kind: 'odd-number', row: 461817590, column: 34995330, text: '' },
      { kind: 'long-cell', row: 1610941621, column: 1564518465, overLimitBy: -12, digits: false },
      { kind: 'drop-cell', row: 1, column: 928930599 },
      { kind: 'marker', row: 1322740380, column: 793633246 },
    ],
    delimiter: ',',
    decimalComma: false,
    lineEnds: 'cr',
    mixedEnds: [],
    trailingNewline: false,
    emptyLinesBefore: [1205975063, 0],
    encoding: 'utf8',
    byteEdits: [{ kind: 'insert', at: 1208865592, bytes: Uint8Array.from([34, 34]) }],
    readChunkBytes: 7,
    maxLineLength: 120,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  for (const { report } of await readEachWay(spec, [1, 7, 61, undefined])) {
    expect([report.rowsRead, report.rowsValid, report.errors.map((e) => [e.line, e.rule])]).toEqual([
      2,
      0,
      [
        [3, 'not_numeric'],
        [4, 'malformed_csv'],
      ],
    ]);
  }
});

test('a file refused while an overlong row is skipped counts that row alike on both paths (seed -2135906697)', async () => {
  // Row 3 is too long; a byte that is not UTF-8 follows in it, and a quoted id on the next line sends small reads
  // to papaparse's path, which meets the bad byte before the skip reaches the row's end.
  const spec: FuzzFile = {
    pimaRows: [220, 358, 106, 125, 216, 739, 682],
    cellEdits: [
      { kind: 'long-cell', row: 626610426, column: 0, overLimitBy: 7, digits: false },
      { kind: 'patient-id', row: 1110700537, id: '"a,b"' },
    ],
    delimiter: ',',
    decimalComma: false,
    lineEnds: 'lf',
    mixedEnds: [],
    trailingNewline: false,
    emptyLinesBefore: [0],
    encoding: 'utf8',
    byteEdits: [
      { kind: 'set-byte', at: 1911618702, byte: 128 },
      { kind: 'set-byte', at: 823268, byte: 1 },
    ],
    readChunkBytes: 7,
    maxLineLength: 120,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
});

test('a quoted row whose text passes the limit but whose fields do not is kept, whatever the reads', async () => {
  // The limit counts a row's fields, not its quotes: 18 quote characters take this row's text over the limit.
  const header = 'patient_id,Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age';
  const row = `"P${'1'.repeat(40)}","6","148","72","35","0","33.6","0.627${'0'.repeat(40)}","50"`;
  const maxLineLength = row.length - 10;
  expect(row.replaceAll('"', '').length).toBeLessThanOrEqual(maxLineLength);
  const path = join(dir, 'quoted-near-limit.csv');
  writeFileSync(path, `${header}\n${row}\nP2,1,85,66,29,0,26.6,0.351,31\n`);
  for (const readChunkBytes of [7, 61, undefined]) {
    const { report } = await ingestCsvFile(path, { mode: 'batch', maxLineLength, readChunkBytes });
    expect([report.rowsRead, report.rowsValid, report.errors.map((e) => e.rule)]).toEqual([2, 2, []]);
  }
});

test('a skipped long row ends where its quotes end, not at a line end inside a quoted field (seed -197470492)', async () => {
  const spec: FuzzFile = {
    ...PLAIN,
    pimaRows: [0],
    cellEdits: [
      { kind: 'long-cell', row: 0, column: 0, overLimitBy: 0, digits: false },
      { kind: 'quote-cell', row: 0, column: 156745, inner: 'a\nb' },
    ],
    trailingNewline: false,
    maxLineLength: 300,
  };
  for (const { report } of await readEachWay(spec, [7, 61, undefined])) {
    expect([report.rowsRead, report.rowsValid, report.errors.map((e) => [e.line, e.rule])]).toEqual([
      1,
      0,
      [[2, 'line_too_long']],
    ]);
  }
});

test('an LF right after a closing quote, inside a long CRLF row, is a line of its own whatever the reads (seed 1380890863)', async () => {
  // papaparse drops that LF from the row's fields: the rows after it are numbered by the row's text as read.
  const spec: FuzzFile = {
    ...PLAIN,
    pimaRows: [0, 0, 0],
    cellEdits: [{ kind: 'quote-cell', row: 592519195, column: 875515175, inner: '' }],
    lineEnds: 'mixed',
    mixedEnds: [1, 0, 0],
    trailingNewline: false,
    emptyLinesBefore: [1368449462],
    byteEdits: [{ kind: 'repeat-line', line: 357947726, times: 113 }],
    readChunkBytes: 7,
    maxLineLength: 300,
  };
  expect(await checkCase(dir, buildCase(spec))).toEqual([]);
  for (const result of await readEachWay(spec, [7, 4096, undefined])) {
    // Lines 2-117 are one CRLF row (bare LFs, the last right after "50"), too long; the next patient is on line 118.
    expect([result.report.errors.map((e) => [e.line, e.rule]), result.ok && [...result.table.lineNumbers]]).toEqual([
      [[2, 'line_too_long']],
      [118],
    ]);
  }
});
