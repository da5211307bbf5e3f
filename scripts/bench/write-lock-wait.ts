/**
 * npm run bench:lock-wait -- [--rows 1000000] [--runs 3] [--probe-every 20] [--baseline DIR] [--keep]
 * What another writer waits for while a large batch is screened, and what the batch costs. The screen CLI (started
 * as `npm run screen` starts it, from each checkout) screens a --rows batch, first with its patients in id order,
 * then the same rows shuffled, each run in a fresh workspace, while this process takes the database's write lock
 * every --probe-every ms (BEGIN IMMEDIATE then ROLLBACK, with the app's 30 s busy timeout), as a clinician saving a
 * note during an import would (20 ms is a stress test; the probes also slow the batch, as any other writer does).
 * Prints per case and checkout the median wall time and disk writes (GNU time's file system outputs), and the waits
 * of all runs together: median, 95th percentile, longest, and how many took over LONG_WAIT_MS.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { quantileSorted } from '../../core/eda/descriptive-stats';
import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import { connect } from '../../core/store/database';
import { pimaPath } from '../../core/testing/pima';
import { seededPermutation } from '../../core/testing/seeded-samples';
import { median } from '../../core/util/median';
import { buildCli } from '../build-cli';
import { screenCommand, writeWorkspaceConfig } from './startup';

const ROOT = resolve(import.meta.dirname, '../..');
const BUSY_TIMEOUT_MS = 30_000;
const LONG_WAIT_MS = 250;

interface Run {
  wallS: number;
  writtenMb: number;
  waitsMs: number[];
}

/** The same file with its data rows in a seeded random order (the header stays first). */
function writeShuffled(from: string, to: string, seed: number): void {
  const [header, ...rows] = readFileSync(from, 'utf8').trimEnd().split('\n');
  const order = seededPermutation(rows.length, seed);
  const shuffled = Array.from(order, (i) => rows[i]);
  writeFileSync(to, `${header}\n${shuffled.join('\n')}\n`);
}

/**
 * Takes the write lock every `everyMs` until `done`: from when the database is in WAL mode (its -wal file
 * exists), so that opening it never races the CLI's creation of it. Returns each attempt's wait.
 */
async function probeWriteLock(dbPath: string, everyMs: number, done: () => boolean): Promise<number[]> {
  while (!done() && !existsSync(`${dbPath}-wal`)) await sleep(2);
  if (done()) return [];
  const db = connect(dbPath);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const waits: number[] = [];
  try {
    while (!done()) {
      const asked = performance.now();
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      waits.push(performance.now() - asked);
      await sleep(everyMs);
    }
  } finally {
    db.close();
  }
  return waits;
}

async function runOnce(checkout: string, input: string, ws: string, probeEveryMs: number): Promise<Run> {
  const { config, dbPath } = writeWorkspaceConfig(ws, checkout);
  const [cmd, ...rest] = screenCommand(checkout);
  const timeOut = join(ws, 'time.txt');
  // stdout and stderr are not read: a pipe that fills while the probe waits for the lock would stall the CLI.
  const child = spawn(
    '/usr/bin/time',
    ['-f', '%e %O', '-o', timeOut, cmd, ...rest, '--input', input, '--config', config],
    {
      cwd: checkout,
      stdio: 'ignore',
    },
  );
  let exited = false;
  const exit = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      exited = true;
      done(code);
    }),
  );
  const waitsMs = await probeWriteLock(dbPath, probeEveryMs, () => exited);
  const code = await exit;
  if (code !== 0) throw new Error(`${checkout}: screen --input ${input} exited ${code}`);
  const [wall, blocks] = readFileSync(timeOut, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return { wallS: wall, writtenMb: (blocks * 512) / 1e6, waitsMs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      'probe-every': { type: 'string', default: '20' },
      baseline: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const probeEveryMs = Number(values['probe-every']);
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (Debian: apt-get install -y time)');
  const checkouts = [{ label: 'this checkout', dir: ROOT }];
  if (values.baseline) checkouts.push({ label: `baseline ${values.baseline}`, dir: resolve(values.baseline) });
  await buildCli();
  const work = mkdtempSync(join(tmpdir(), 'bench-lock-wait-'));
  try {
    const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
    if (!pima.ok) throw new Error('cannot read the Pima data file');
    const inOrder = join(work, 'in-order.csv');
    writeSyntheticBatch(inOrder, pima.table, { rows, seed: rows });
    const shuffled = join(work, 'shuffled.csv');
    writeShuffled(inOrder, shuffled, rows);
    const cases = [
      { name: `${rows.toLocaleString('en')} rows, ids in order`, input: inOrder },
      { name: `${rows.toLocaleString('en')} rows, shuffled`, input: shuffled },
    ];
    const results = new Map<string, Run[]>();
    let n = 0;
    // Rounds interleave the checkouts, so that a busier minute of the machine does not fall on one side only.
    for (let round = 0; round < runs; round++) {
      for (const c of cases) {
        for (const checkout of checkouts) {
          const ws = join(work, `run-${n++}`);
          mkdirSync(ws);
          const run = await runOnce(checkout.dir, c.input, ws, probeEveryMs);
          rmSync(ws, { recursive: true, force: true });
          const key = `${c.name}|${checkout.label}`;
          results.set(key, [...(results.get(key) ?? []), run]);
        }
      }
    }
    console.log(
      `runs: ${runs} per case and checkout, each a fresh process and workspace; a write-lock probe every ${probeEveryMs} ms (busy timeout ${BUSY_TIMEOUT_MS / 1000} s); load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}`,
    );
    console.log(
      `| case | checkout | wall (median, min-max) | written to disk (median) | probes | wait: median | p95 | longest | over ${LONG_WAIT_MS} ms |`,
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const c of cases) {
      for (const checkout of checkouts) {
        const rs = results.get(`${c.name}|${checkout.label}`) as Run[];
        const wall = rs.map((r) => r.wallS);
        const waits = rs.flatMap((r) => r.waitsMs).sort((a, b) => a - b);
        console.log(
          `| ${[
            c.name,
            checkout.label,
            `${median(wall).toFixed(2)} s (${Math.min(...wall).toFixed(2)}-${Math.max(...wall).toFixed(2)})`,
            `${median(rs.map((r) => r.writtenMb)).toFixed(0)} MB`,
            String(waits.length),
            waits.length === 0 ? '-' : `${median(waits).toFixed(1)} ms`,
            `${(quantileSorted(waits, 0.95) ?? 0).toFixed(0)} ms`,
            `${(waits.at(-1) ?? 0).toFixed(0)} ms`,
            String(waits.filter((w) => w > LONG_WAIT_MS).length),
          ].join(' | ')} |`,
        );
      }
    }
  } finally {
    if (values.keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
