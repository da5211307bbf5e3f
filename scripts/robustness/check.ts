/**
 * npm run check:robustness — the robustness promises of the README's "Security and integrity" section, checked and
 * counted, one line each:
 *   files fuzzed            the ingest fuzzer's cases (core/testing/ingest-fuzz.ts; FUZZ_RUNS, default 2000, as in CI)
 *   faults injected         the fault matrix, stage boundaries x fault kinds, plus the real lock and chmod cases
 *   tamper cases detected   the audit tamper matrix's tamperings, each named by audit:verify
 *   corpus files not leaked the hostile corpus through the CLI, and the stored sinks
 *   hostile file time       an unclosed quote before 4x the rows costs about 4x the time, not 16x
 * The test files run under vitest with its JSON reporter, and the counts are the test cases that passed.
 * Exit code 1 when any check fails.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { FEATURE_COLUMNS } from '../../core/schema/columns';
import { FAULT_KINDS, FAULT_POINTS } from '../../core/screening/fault-injection';
import { HOSTILE_CORPUS } from '../../core/testing/hostile-corpus';
import { fuzzIngest } from '../../core/testing/ingest-fuzz';

const ROOT = resolve(import.meta.dirname, '../..');
const FAULTS = 'core/cli/screen-faults.test.ts';
const TAMPER = 'core/store/audit-tamper.test.ts';
const LEAK = 'core/cli/screen-leak.test.ts';

interface Check {
  name: string;
  pass: boolean;
  count: string;
  detail: string;
}

interface TestCase {
  title: string;
  ancestorTitles: string[];
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages?: string[];
}

/** Runs the test files under vitest's JSON reporter; returns each file's test cases. */
function runTests(files: string[]): Map<string, TestCase[]> {
  const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-robustness-'));
  const report = join(dir, 'report.json');
  try {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...files, '--reporter=json', `--outputFile=${report}`],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let parsed: { testResults: { name: string; assertionResults: TestCase[] }[] };
    try {
      parsed = JSON.parse(readFileSync(report, 'utf8'));
    } catch {
      throw new Error(`vitest wrote no report (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
    }
    const byFile = new Map<string, TestCase[]>();
    for (const result of parsed.testResults) byFile.set(resolve(result.name), result.assertionResults);
    return byFile;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const passed = (cases: TestCase[]) => cases.filter((c) => c.status === 'passed').length;
/** Each failed case's title and the first line of its failure, so that a FAIL line says what failed. */
const failedTitles = (cases: TestCase[]) =>
  cases
    .filter((c) => c.status === 'failed')
    .map((c) => `${c.title}: ${(c.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 200)}`);

async function fuzzCheck(): Promise<Check> {
  const runs = Number(process.env.FUZZ_RUNS ?? 2000);
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-robustness-fuzz-'));
  try {
    const run = await fuzzIngest({ dir, runs, seed });
    return {
      name: 'files fuzzed (cases)',
      pass: !run.failed && run.cases === runs,
      count: String(run.cases),
      detail: run.failed
        ? `FAILED: ${run.error?.slice(0, 200)}; replay: npm run fuzz -- --seed ${run.seed} --path ${run.path} --runs 1`
        : `fast-check seed ${run.seed}, no failure`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function faultCheck(cases: TestCase[]): Check {
  const matrix = cases.filter((c) => c.ancestorTitles[0]?.startsWith('screen CLI:'));
  const real = cases.filter((c) => c.ancestorTitles[0] === 'the same faults for real');
  const expected = FAULT_POINTS.length * FAULT_KINDS.length;
  const skipped = real.filter((c) => c.status === 'skipped').length;
  return {
    name: 'faults injected (points x kinds)',
    pass: matrix.length === expected && passed(matrix) === expected && failedTitles(real).length === 0,
    count: `${passed(matrix)}/${expected}`,
    detail:
      `${FAULT_POINTS.length} points x ${FAULT_KINDS.length} kinds (${FAULT_KINDS.join(', ')}); ` +
      `real faults: ${passed(real)} passed${skipped ? `, ${skipped} skipped` : ''}` +
      (failedTitles([...matrix, ...real]).length ? `; failed: ${failedTitles([...matrix, ...real]).join('; ')}` : ''),
  };
}

function tamperCheck(cases: TestCase[]): Check {
  const matrix = cases.filter((c) => c.ancestorTitles[0] === 'audit tamper matrix');
  // The first case is the control (the untouched database verifies); the rest each tamper and must be caught.
  const control = matrix.filter((c) => c.title.startsWith('the untouched'));
  const tamperings = matrix.filter((c) => !control.includes(c));
  return {
    name: 'tamper cases detected',
    pass: tamperings.length > 0 && passed(tamperings) === tamperings.length && passed(control) === control.length,
    count: `${passed(tamperings)}/${tamperings.length}`,
    detail:
      `control (untouched database verifies): ${passed(control) === control.length ? 'ok' : 'FAILED'}` +
      (failedTitles(tamperings).length ? `; missed: ${failedTitles(tamperings).join('; ')}` : ''),
  };
}

function leakCheck(cases: TestCase[]): Check {
  const sinks = cases.filter((c) => c.title.startsWith('nor in the audit trail'));
  const files = cases.filter((c) => !sinks.includes(c));
  const leaks = failedTitles([...files, ...sinks]);
  return {
    name: 'corpus files with no patient value leaked',
    pass: files.length >= HOSTILE_CORPUS.length && passed(files) === files.length && passed(sinks) === 1,
    count: `${passed(files)}/${files.length}`,
    detail:
      `stdout, stderr; trail, audit, batches, rejected rows: ${passed(sinks) === 1 ? 'clean' : 'LEAKED'}` +
      (leaks.length ? `; ${leaks.join('; ')}` : ''),
  };
}

/** An unclosed quote swallowing `rows` rows: the worst case for a quote-aware parser. */
async function hostileSeconds(dir: string, rows: number): Promise<number> {
  const path = join(dir, `unclosed-${rows}.csv`);
  const fd = openSync(path, 'w');
  const row = 'P000001,6,148,72,35,0,33.6,0.627,50\n';
  writeSync(fd, `patient_id,${FEATURE_COLUMNS.join(',')}\n${row}P000002,1,"85,66,29,0,26.6,0.351,31\n`);
  const block = row.repeat(10_000);
  for (let i = 0; i < rows / 10_000; i++) writeSync(fd, block);
  closeSync(fd);
  const started = performance.now();
  await ingestCsvFile(path, { mode: 'batch' });
  return (performance.now() - started) / 1000;
}

async function linearCheck(): Promise<Check> {
  const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-robustness-hostile-'));
  try {
    await hostileSeconds(dir, 20_000);
    const small = await hostileSeconds(dir, 100_000);
    const large = await hostileSeconds(dir, 400_000);
    const ratio = large / small;
    return {
      name: 'hostile file, time linear in size',
      // Linear is 4; a quadratic parser would be near 16. The margin absorbs a busy machine.
      pass: ratio < 8,
      count: `x${ratio.toFixed(1)}`,
      detail: `unclosed quote, 100k rows ${small.toFixed(2)} s, 400k rows ${large.toFixed(2)} s`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const checks: Check[] = [await fuzzCheck()];
  const tests = runTests([FAULTS, TAMPER, LEAK]);
  const casesOf = (file: string) => tests.get(resolve(ROOT, file)) ?? [];
  checks.push(faultCheck(casesOf(FAULTS)), tamperCheck(casesOf(TAMPER)), leakCheck(casesOf(LEAK)));
  checks.push(await linearCheck());
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const c of checks) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.count.padStart(9)}  ${c.detail}`);
  }
  const failed = checks.filter((c) => !c.pass).length;
  console.log(
    `${failed === 0 ? 'robustness: all checks passed' : `robustness: ${failed} check(s) FAILED`} ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
