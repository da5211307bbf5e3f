/**
 * npm run bench:app-import -- [--runs 3] [--rows 1000000] [--keep]
 * A big daily file imported through the app, beside `npm run screen` on the same file. The app side is the HTTP
 * host as the e2e specs start it (e2e/support/host-process.ts: its own process, a fresh temp data folder, the app's
 * composition root with its default config); the benchmark signs in as the first admin over HTTP through the
 * contract's client and calls importBatch with the file's text, as the renderer does. The CLI side is the "screen"
 * npm script's command under /usr/bin/time -v, in a fresh workspace. Both decide their worker threads with the same
 * plan (core/screening/threading-plan.ts).
 * Prints medians over --runs rounds (the two sides interleaved): wall time (the import call; the CLI's whole process),
 * the batch's own time and rows/s as stored, and the process's peak RSS (the host's over its start, sign-in and
 * import). The synthetic batch is drawn around the training distribution (core/screening/synthetic-batch.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ApiTransport, createApiClient } from '../../core/api/api-client';
import { HTTP_CALL_PREFIX, HTTP_TOKEN_HEADER } from '../../core/api/bridge';
import type { Result } from '../../core/api/result';
import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import type { BatchRecord } from '../../core/store/batch-repository';
import { openStore } from '../../core/store/sqlite-store';
import { pimaPath } from '../../core/testing/pima';
import { startHostProcess } from '../../e2e/support/host-process';
import { parseTimeReport, screenCommand, writeWorkspaceConfig } from './startup';

const ROOT = resolve(import.meta.dirname, '../..');

interface Sample {
  wallS: number;
  batchS: number;
  rowsPerSecond: number;
  peakRssMb: number;
  /** The CLI only: whether it ran its esbuild bundle or the sources through tsx (scripts/run-cli.cjs). */
  build?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The contract over the host's HTTP transport (the renderer's, without the event stream). A fresh connection per
 * call: reading and serialising a big file can outlast the server's keep-alive timeout, which would close a reused
 * socket while the body is being written.
 */
function httpTransport(url: string, token: string): ApiTransport {
  return {
    call: (method, arg) =>
      new Promise((resolveCall, reject) => {
        const body = JSON.stringify(arg ?? {});
        const req = request(
          new URL(`${HTTP_CALL_PREFIX}${method}`, url),
          {
            method: 'POST',
            agent: false,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              [HTTP_TOKEN_HEADER]: token,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if (res.statusCode !== 200) reject(new Error(`${method}: HTTP ${res.statusCode} ${text}`));
              else resolveCall(JSON.parse(text) as Result<unknown>);
            });
            res.on('error', reject);
          },
        );
        req.on('error', (error) => reject(new Error(`${method}: ${error.message}`)));
        req.end(body);
      }),
    subscribe: () => () => undefined,
  };
}

function unwrap<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Peak RSS so far of a running process, from Linux's /proc. */
function peakRssMb(pid: number): number {
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  if (!kb) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb[1]) / 1024;
}

/** The stored batch, read from a store that its process has closed. */
function storedBatch(dbPath: string, id: number): BatchRecord {
  const store = openStore(dbPath, { auditTrailPath: null });
  try {
    const batch = store.batches.get(id);
    if (batch?.status !== 'completed') throw new Error(`batch ${id} in ${dbPath}: ${batch?.status ?? 'missing'}`);
    return batch;
  } finally {
    store.close();
  }
}

async function appRun(file: string, rows: number, dataDir: string): Promise<Sample> {
  process.env.GLUCOSCREEN_TEST_DATA_DIR = dataDir;
  const host = await startHostProcess();
  let batchId: number;
  let wallS: number;
  let peak: number;
  try {
    const { api } = createApiClient(httpTransport(host.url, host.token));
    unwrap(await api.createAdmin({ username: 'admin', password: 'bench admin password' }), 'createAdmin');
    unwrap(await api.signIn({ username: 'admin', password: 'bench admin password' }), 'signIn');
    const content = readFileSync(file, 'utf8');
    const t0 = performance.now();
    const imported = unwrap(
      await api.importBatch({ operationId: 'bench', fileName: 'batch_bench.csv', content }),
      'importBatch',
    );
    wallS = (performance.now() - t0) / 1000;
    batchId = Number(imported.batch.batchId);
    if (imported.batch.acceptedRows !== rows)
      throw new Error(`scored ${imported.batch.acceptedRows} rows, not ${rows}`);
    peak = peakRssMb(host.pid);
  } finally {
    await host.stop();
  }
  const batch = storedBatch(join(dataDir, 'glucoscreen.db'), batchId);
  return {
    wallS,
    batchS: (batch.durationMs ?? 0) / 1000,
    rowsPerSecond: batch.rowsPerSecond ?? 0,
    peakRssMb: peak,
  };
}

function cliRun(file: string, ws: string): Sample {
  const { config, dbPath } = writeWorkspaceConfig(ws, ROOT);
  const [cmd, ...rest] = screenCommand(ROOT);
  const timeOut = join(ws, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-v', '-o', timeOut, cmd, ...rest, '--input', file, '--config', config], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, GLUCOSCREEN_CLI_TRACE: '1' },
  });
  if (r.status !== 0) throw new Error(`screen exited ${r.status}: ${r.stderr}`);
  const time = parseTimeReport(readFileSync(timeOut, 'utf8'));
  const batch = storedBatch(dbPath, 1);
  return {
    wallS: time.wallS,
    batchS: (batch.durationMs ?? 0) / 1000,
    rowsPerSecond: batch.rowsPerSecond ?? 0,
    peakRssMb: time.peakRssMb,
    build: r.stderr.match(/\[cli\] (bundle|tsx)/)?.[1] ?? '?',
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      rows: { type: 'string', default: '1000000' },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const rows = Number(values.rows);
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (Debian: apt-get install -y time)');
  const work = mkdtempSync(join(tmpdir(), 'bench-app-import-'));
  try {
    const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
    if (!pima.ok) throw new Error('cannot read the Pima data file');
    const file = join(work, 'batch_bench.csv');
    writeSyntheticBatch(file, pima.table, { rows, seed: 41 });
    const app: Sample[] = [];
    const cli: Sample[] = [];
    // Rounds interleave the two sides, so that a busier minute of the machine does not fall on one side only.
    for (let round = 0; round < runs; round++) {
      const dataDir = join(work, `app-${round}`);
      app.push(await appRun(file, rows, dataDir));
      rmSync(dataDir, { recursive: true, force: true });
      const ws = join(work, `cli-${round}`);
      mkdirSync(ws);
      cli.push(cliRun(file, ws));
      rmSync(ws, { recursive: true, force: true });
      process.stderr.write(`round ${round + 1}/${runs} done\n`);
    }
    const mb = (statSync(file).size / 2 ** 20).toFixed(1);
    console.log(`${rows.toLocaleString('en')} rows (${mb} MB), ${runs} runs per side, medians (min-max)`);
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ', ',
        )} on ${availableParallelism()} cores; the CLI ran ${cli[0]?.build === 'bundle' ? 'its bundle (dist/cli)' : 'the sources through tsx'}`,
    );
    const spread = (xs: number[], digits: number) =>
      `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
    const row = (name: string, samples: Sample[]) =>
      `| ${name} | ${spread(
        samples.map((s) => s.wallS),
        2,
      )} s | ${spread(
        samples.map((s) => s.batchS),
        2,
      )} s | ${Math.round(median(samples.map((s) => s.rowsPerSecond))).toLocaleString('en')} | ${spread(
        samples.map((s) => s.peakRssMb),
        0,
      )} MB |`;
    console.log('| | wall | batch (as stored) | rows/s (batch) | peak RSS |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(row('app: importBatch over HTTP', app));
    console.log(row('CLI: npm run screen (whole process)', cli));
  } finally {
    if (values.keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
