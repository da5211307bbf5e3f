/**
 * npm run bench:worklist-export -- [--rows 100000] [--runs 3]
 * A worklist export of a whole batch, as main runs it for the Export button, each run in a fresh process on the same
 * stored batch (imported once, through the app): the one-call export (`exportWorklist`: the whole CSV built as one
 * string in main, what the button used before) beside the streamed one (`startWorklistExport` writing a temp file,
 * then `readExportChunk` until the end; the chunks are dropped here, as they leave main for the window).
 * Prints medians over --runs: wall time of the export, main's peak resident memory above its level when the export
 * started (sampled, core/screening/batch-memory.ts), and the process's peak RSS. Each process first loads the first
 * page of the worklist (the batch's index and the explainer), as a clinician opens it before exporting.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contractCaller, value } from '../../core/app/test-support/app-calls';
import { createTestApp } from '../../core/app/test-support/test-app';
import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { startBatchMemoryProbe } from '../../core/screening/batch-memory';
import { writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import { pimaPath } from '../../core/testing/pima';

const VARIANTS = ['one call', 'streamed'] as const;
type Variant = (typeof VARIANTS)[number];
const ADMIN = { username: 'admin', password: 'correct horse 1' };

interface Sample {
  ms: number;
  aboveStartMb: number;
  peakRssMb: number;
  rows: number;
  bytes: number;
}

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    child: { type: 'string' },
    data: { type: 'string' },
  },
});

async function child(variant: Variant, dataDir: string): Promise<void> {
  const app = await createTestApp(dataDir);
  const call = contractCaller(() => app);
  const session = app.newSession();
  value(await call(session, 'signIn', ADMIN));
  const batchId = String(app.store.batches.list({ limit: 1 })[0].id);
  // The first page loads the batch's worklist and the explainer, as opening the worklist does before any export.
  value(await call(session, 'worklistPage', { batchId, offset: 0, limit: 50 }));
  const probe = startBatchMemoryProbe();
  const t = performance.now();
  let rows: number;
  let bytes = 0;
  if (variant === 'one call') {
    const file = value(await call(session, 'exportWorklist', { batchId }));
    rows = file.rowCount;
    bytes = Buffer.byteLength(file.content);
  } else {
    const prepared = value(await call(session, 'startWorklistExport', { operationId: 'bench', batchId }));
    rows = prepared.rowCount;
    for (let offset = 0, done = false; !done; ) {
      const chunk = value(await call(session, 'readExportChunk', { exportId: prepared.exportId, offset }));
      bytes += Buffer.byteLength(chunk.content);
      ({ nextOffset: offset, done } = chunk);
    }
  }
  const ms = performance.now() - t;
  const sample: Sample = {
    ms,
    aboveStartMb: probe.stop() / 2 ** 20,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    rows,
    bytes,
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function main(): Promise<void> {
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const dir = mkdtempSync(join(tmpdir(), 'bench-worklist-export-'));
  try {
    const dataDir = join(dir, 'data');
    const app = await createTestApp(dataDir);
    const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
    if (!pima.ok) throw new Error('Pima did not load');
    writeSyntheticBatch(join(dir, 'day.csv'), pima.table, { rows, seed: 3 });
    const call = contractCaller(() => app);
    const session = app.newSession();
    value(await call(session, 'createAdmin', ADMIN));
    const content = readFileSync(join(dir, 'day.csv'), 'utf8');
    value(await call(session, 'importBatch', { operationId: 'bench', fileName: 'day.csv', content }));
    await app.close();

    const samples: Record<Variant, Sample[]> = { 'one call': [], streamed: [] };
    // Interleaved, so a change in the machine's load falls on both sides alike.
    for (let r = 0; r < runs; r++) {
      for (const variant of VARIANTS) {
        const run = spawnSync(
          process.execPath,
          [...process.execArgv, import.meta.filename, '--child', variant, '--data', dataDir],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        if (run.status !== 0) throw new Error(`${variant} run failed: ${run.stderr}`);
        const sample = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Sample;
        samples[variant].push(sample);
        console.error(
          `  run ${r + 1} ${variant}: ${(sample.ms / 1000).toFixed(2)} s, ${sample.aboveStartMb.toFixed(0)} MB`,
        );
      }
    }
    console.log(
      `worklist export, ${rows} rows, medians of ${runs} runs (fresh process each; load average ${loadavg()[0].toFixed(1)})`,
    );
    for (const variant of VARIANTS) {
      const s = samples[variant];
      console.log(
        `  ${variant.padEnd(9)} ${(median(s.map((x) => x.ms)) / 1000).toFixed(2)} s; main's peak above the export's start ${median(s.map((x) => x.aboveStartMb)).toFixed(0)} MB; process peak RSS ${median(s.map((x) => x.peakRssMb)).toFixed(0)} MB; ${s[0].rows} rows, ${(s[0].bytes / 2 ** 20).toFixed(1)} MB of CSV`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child as Variant, values.data as string);
else await main();
