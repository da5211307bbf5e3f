/**
 * npm run bench:screen -- [--runs 3] [--rows 1000000] [--keep] [--parse-thread] [--store-thread | --no-store-thread]
 *   [--score-thread | --no-score-thread] [--onnx-threads n] [--split-scoring]
 * Generates a 1,000,000-row, a 250,000-row and a 10,000-row synthetic batch around the training distribution and
 * runs each twice per round, each time in a fresh child process (so peak RSS is per run):
 * - CSV -> CSV: the screening path with the predictions discarded instead of stored (parse, validate, preprocess,
 *   score, categorise, write the output CSV), timed end to end;
 * - the whole path (the same plus the SQLite store, the commit and the audit), timed end to end, with its stages.
 * Prints rows/s per stage and end to end, and peak RSS; medians over --runs rounds. Targets: CSV->CSV
 * >= 500k rows/s, whole path >= 300k rows/s, the 10k batch < 0.3 s after start-up, peak RSS < 400 MB and flat in
 * file size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../core/config/app-config';
import { startParseHost } from '../../core/screening/parse-host';
import { type ScreenOutcome, screenFile } from '../../core/screening/screen-file';
import type { ScreeningModel } from '../../core/screening/screening-model';
import { writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import { type BatchWriterHost, inProcessWriterHost, startWorkerWriterHost } from '../../core/store/batch-writer-host';
import { openStore } from '../../core/store/sqlite-store';
import { loadPimaTable } from '../../core/testing/pima';
import { median } from '../../core/util/median';
import { benchShadow, shadowScenario } from './screen-shadow';

const THREAD_FLAGS = [
  '--store-thread',
  '--no-store-thread',
  '--score-thread',
  '--no-score-thread',
  '--parse-thread',
  '--split-scoring',
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function loadModel(scoreThread: boolean): Promise<{ model: ScreeningModel; source: string }> {
  const dir = resolve(arg('model-dir', 'models/production'));
  if (existsSync(join(dir, 'metadata.json'))) {
    const { loadScreeningModel } = await import('../../core/screening/load-model');
    const intraOpNumThreads = Number(arg('onnx-threads', '1'));
    const splitScoring = process.argv.includes('--split-scoring');
    return {
      model: await loadScreeningModel(dir, { intraOpNumThreads, splitScoring, scoreThread }),
      source: `${dir} (${splitScoring ? 'split scoring: 2 sessions x 1 thread' : `${scoreThread ? 'on a score thread, ' : ''}ONNX intra-op threads ${intraOpNumThreads}`})`,
    };
  }
  // No committed bundle yet: a real model trained by training's own code (60 trees, 15 leaves).
  const { buildTestModel } = await import('../../core/testing/test-model');
  return { model: await buildTestModel('bench'), source: 'test model trained on Pima (60 trees x 15 leaves)' };
}

interface ChildResult {
  rows: number;
  startupMs: number;
  outcome: Extract<ScreenOutcome, { kind: 'completed' }>['timings'];
  peakRssMb: number;
  modelSource: string;
}

/** CSV -> CSV runs: a batch row in an in-memory store, the predictions dropped. */
function discardingWriterHost(): BatchWriterHost {
  const host = inProcessWriterHost(openStore(':memory:'));
  return {
    async begin(meta) {
      const writer = await host.begin(meta);
      return { ...writer, addPredictions: async () => undefined };
    },
    close: host.close,
  };
}

async function child(input: string, work: string, csvOnly: boolean): Promise<void> {
  const t0 = performance.now();
  // As the CLI decides with its default config (screening.storeThread / scoreThread 'auto'), unless forced.
  const big = statSync(input).size >= parseConfig({}).screening.threadMinBytes;
  const forced = (name: string) =>
    process.argv.includes(`--${name}`) ? true : process.argv.includes(`--no-${name}`) ? false : big;
  const storeThread = forced('store-thread');
  const store = openStore(join(work, 'bench.db'));
  // As the CLI: the model (with its score thread) and the store thread start at once.
  const [{ model, source }, writerHost] = await Promise.all([
    loadModel(forced('score-thread')),
    csvOnly
      ? discardingWriterHost()
      : storeThread
        ? startWorkerWriterHost(join(work, 'bench.db'))
        : Promise.resolve(undefined),
  ]);
  const parseHost = process.argv.includes('--parse-thread') ? await startParseHost() : undefined;
  const retry = parseConfig({}).retry;
  const shadow = process.argv.includes('--with-shadow') ? await benchShadow(store) : null;
  const startupMs = performance.now() - t0;
  const outcome = await screenFile({
    inputPath: input,
    outputDir: join(work, 'out'),
    rejectedDir: join(work, 'rejected'),
    store,
    writerHost,
    parseHost,
    model,
    actor: 'bench',
    source: 'bench',
    stageCpu: true,
    retry,
    force: true,
    shadow: shadow ? await shadow.forBatch() : null,
  });
  if (outcome.kind !== 'completed') throw new Error(`bench batch was ${outcome.kind}`);
  if (shadow && outcome.shadow?.status !== 'scored')
    throw new Error(`the shadow did not score: ${outcome.shadow?.error}`);
  await shadow?.close();
  await writerHost?.close();
  await parseHost?.close();
  store.close();
  await model.scorer.release();
  const result: ChildResult = {
    rows: outcome.batch.rowsRead,
    startupMs,
    outcome: outcome.timings,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    modelSource: source,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    await child(arg('input', ''), arg('work', ''), process.argv.includes('--csv-only'));
    return;
  }
  if (process.argv.includes('--shadow')) {
    await shadowScenario();
    return;
  }
  const runs = Number(arg('runs', '3'));
  const bigRows = Number(arg('rows', '1000000'));
  const work = mkdtempSync(join(tmpdir(), 'bench-screen-'));
  try {
    const pima = await loadPimaTable();
    const sizes = [10_000, bigRows / 4, bigRows];
    const files = new Map<number, string>();
    for (const rows of sizes) {
      const path = join(work, `batch_${rows}.csv`);
      const t = performance.now();
      writeSyntheticBatch(path, pima, { rows, seed: rows });
      files.set(rows, path);
      console.error(`generated ${rows.toLocaleString()} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const results = new Map<number, ChildResult[]>();
    const csvResults = new Map<number, ChildResult[]>();
    const runChild = (rows: number, runDir: string, csvOnly: boolean): ChildResult => {
      mkdirSync(runDir);
      const proc = spawnSync(
        process.execPath,
        [
          // As `npm run screen` starts the CLI (package.json): a young generation of 3 x 4 MB, not 3 x 16, and V8's
          // background threads one fewer than the cores, not always 4.
          '--max-semi-space-size=4',
          '--v8-pool-size=0',
          '--import',
          'tsx',
          import.meta.filename,
          '--child',
          '--input',
          files.get(rows) as string,
          '--work',
          runDir,
          ...(csvOnly ? ['--csv-only'] : []),
          ...process.argv.filter((a) => THREAD_FLAGS.includes(a)),
          ...(process.argv.includes('--onnx-threads') ? ['--onnx-threads', arg('onnx-threads', '2')] : []),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      if (proc.status !== 0) throw new Error(`child failed: ${proc.stderr}`);
      rmSync(runDir, { recursive: true, force: true });
      return JSON.parse(proc.stdout.trim().split('\n').pop() as string) as ChildResult;
    };
    for (let r = 0; r < runs; r++) {
      for (const rows of sizes) {
        csvResults.set(rows, [...(csvResults.get(rows) ?? []), runChild(rows, join(work, `csv-${r}-${rows}`), true)]);
        results.set(rows, [...(results.get(rows) ?? []), runChild(rows, join(work, `run-${r}-${rows}`), false)]);
      }
    }
    const first = results.get(bigRows)?.[0];
    console.log(`model: ${first?.modelSource}`);
    // Not the CLI: its bundle's start-up and form are bench:startup's to measure.
    console.log('form: screenFile() in a child process, from the TypeScript sources through tsx (not the CLI bundle)');
    console.log(`runs: ${runs} per size (medians; each run in a fresh process)`);
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} on ${availableParallelism()} cores`,
    );
    const forced = process.argv.filter((a) => THREAD_FLAGS.includes(a));
    console.log(
      `threads: ${forced.length > 0 ? forced.join(' ') : `as the CLI's defaults: store and score threads for files of at least ${(parseConfig({}).screening.threadMinBytes / 1e6).toFixed(0)} MB, parsing on the main thread`}`,
    );
    console.log(
      '(*) with a parse, score or store thread, a stage is the time this thread waited for it, not its cost.',
    );
    console.log('    cpu ms = CPU time of the whole process (all threads, ONNX Runtime included) during the stage.');
    type Stage = Exclude<keyof ChildResult['outcome'], 'cpuMs'>;
    const stages: [string, Stage][] = [
      ['readiness check', 'readinessMs'],
      ['sha256 + line count', 'digestMs'],
      ['parse + validate (*)', 'parseMs'],
      ['preprocess', 'preprocessMs'],
      ['score (ONNX) (*)', 'scoreMs'],
      ['categorise', 'categoriseMs'],
      ['write CSV', 'writeCsvMs'],
      ['store (*)', 'storeMs'],
      ['commit + audit', 'commitMs'],
    ];
    const csvStages: Stage[] = ['parseMs', 'preprocessMs', 'scoreMs', 'categoriseMs', 'writeCsvMs'];
    for (const rows of sizes) {
      const rs = results.get(rows) ?? [];
      const m = (pick: (r: ChildResult) => number) => median(rs.map(pick));
      const rate = (ms: number) => (ms > 0 ? Math.round(rows / (ms / 1000)).toLocaleString('en') : '-');
      const line = (name: string, wall: number, cpu: number | null) =>
        console.log(
          `  ${name.padEnd(22)} ${wall.toFixed(1).padStart(9)}  ${rate(wall).padStart(12)}  ${
            cpu === null ? '' : cpu.toFixed(1).padStart(9)
          }`,
        );
      console.log(`\n${rows.toLocaleString('en')} rows`);
      console.log(
        `  ${'stage'.padEnd(22)} ${'wall ms'.padStart(9)}  ${'rows/s'.padStart(12)}  ${'cpu ms'.padStart(9)}`,
      );
      for (const [name, key] of stages)
        line(
          name,
          m((r) => r.outcome[key]),
          m((r) => r.outcome.cpuMs[key] ?? 0),
        );
      const cs = csvResults.get(rows) ?? [];
      line(
        'CSV -> CSV (own run)',
        median(cs.map((r) => r.outcome.totalMs)),
        median(cs.map((r) => r.outcome.cpuMs.totalMs ?? 0)),
      );
      line(
        'sum of CSV stages',
        m((r) => csvStages.reduce((sum, k) => sum + r.outcome[k], 0)),
        m((r) => csvStages.reduce((sum, k) => sum + (r.outcome.cpuMs[k] ?? 0), 0)),
      );
      line(
        'whole path',
        m((r) => r.outcome.totalMs),
        m((r) => r.outcome.cpuMs.totalMs ?? 0),
      );
      console.log(
        `  start-up (model + store) ${m((r) => r.startupMs).toFixed(0)} ms; peak RSS ${m((r) => r.peakRssMb).toFixed(0)} MB`,
      );
      console.log(`  all runs, whole path ms: ${rs.map((r) => r.outcome.totalMs.toFixed(0)).join(', ')}`);
      console.log(`  all runs, CSV -> CSV ms: ${cs.map((r) => r.outcome.totalMs.toFixed(0)).join(', ')}`);
      console.log(`  peak RSS of the CSV -> CSV runs ${median(cs.map((r) => r.peakRssMb)).toFixed(0)} MB`);
      // Other writers (a second CLI run, the desktop app) wait at most this long: one chunk's rows, or the commit.
      console.log(
        `  write lock held: longest ${Math.max(...rs.map((r) => r.outcome.writeLockMs ?? 0)).toFixed(1)} ms, median ${m((r) => r.outcome.writeLockMs ?? 0).toFixed(1)} ms`,
      );
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
