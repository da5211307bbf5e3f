import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type AppConfig, parseConfig } from '../config/app-config';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import * as threadingPlan from '../screening/threading-plan';
import { pimaPath } from '../testing/pima';
import { appCaller, value } from './test-support/app-calls';
import { createTestApp, type TestApp } from './test-support/test-app';

/** What each import was given: which of its stages ran on worker threads. */
const used: threadingPlan.ThreadPlan[] = [];
vi.mock('../screening/threading-plan', async (original) => {
  const actual = await original<typeof threadingPlan>();
  return {
    ...actual,
    createScreeningThreads: (settings: threadingPlan.ThreadSettings, dbPath: string) => {
      const threads = actual.createScreeningThreads(settings, dbPath);
      return {
        ...threads,
        async forFile(base, fileBytes) {
          const options = await threads.forFile(base, fileBytes);
          used.push({ parse: !!options.parseHost, store: !!options.writerHost, score: options.model !== base });
          return options;
        },
      } satisfies threadingPlan.ScreeningThreads;
    },
  };
});

let dir: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-app-threads-'));
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  const path = join(dir, 'batch_threads.csv');
  // Many read chunks (256 KB each), so that parsing, scoring and storing overlap across several of them.
  writeSyntheticBatch(path, pima.table, { rows: 20_000, seed: 29 });
  csv = readFileSync(path, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importWith(name: string, threads: boolean | 'auto', threadMinBytes?: number) {
  const config: AppConfig = parseConfig({
    screening: { parseThread: threads, scoreThread: threads, storeThread: threads, threadMinBytes },
  });
  const app: TestApp = await createTestApp(join(dir, name), { config });
  try {
    const call = appCaller(() => app);
    const session = app.newSession();
    value(await call(session, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
    const imported = value(
      await call<{ batch: { batchId: string } }>(session, 'importBatch', {
        fileName: 'batch_threads.csv',
        content: csv,
        operationId: 'op-1',
      }),
    );
    const batchId = Number(imported.batch.batchId);
    const {
      durationMs,
      rowsPerSecond,
      peakRssBytes,
      batchMemoryBytes,
      cpuUserMs,
      cpuSystemMs,
      startedAt,
      finishedAt,
      ...batch
    } = app.store.batches.get(batchId) ?? {};
    const predictions = app.store.batches.predictions(batchId, { limit: 1_000_000 });
    const outDir = join(app.dataDir, 'predictions');
    const [outName] = readdirSync(outDir).filter((n) => n.startsWith('predictions_'));
    // The scores and categories, without the last column (the prediction time).
    const output = readFileSync(join(outDir, outName), 'utf8')
      .split('\n')
      .map((line) => line.split(',').slice(0, -1).join(','));
    // Paths are per data folder; the prediction time and the output's sha256 (which holds it) per run.
    const perRun = { outputPath: null, filePath: null, modelDir: null, predictionDate: null, outputSha256: null };
    return { batch: { ...batch, ...perRun }, predictions, output };
  } finally {
    await app.close();
  }
}

describe('importing through the app on the parse, score and store threads', () => {
  test('gives the very predictions and stored batch that one thread gives, as the CLI does', async () => {
    used.length = 0;
    const off = await importWith('off', false);
    const on = await importWith('on', true);
    expect(used).toEqual([
      { parse: false, score: false, store: false },
      { parse: true, score: true, store: true },
    ]);
    expect(on.predictions.total).toBe(20_000);
    expect(on.predictions.rows).toEqual(off.predictions.rows);
    expect(on.output).toEqual(off.output);
    expect(on.batch).toEqual(off.batch);
  }, 120_000);

  test("'auto' decides by the file's size against threadMinBytes, as planThreads says", async () => {
    used.length = 0;
    await importWith('auto-big', 'auto', 1_000);
    await importWith('auto-small', 'auto', 1e12);
    expect(used).toEqual([
      threadingPlan.planThreads({ ...parseConfig({}).screening, parseThread: 'auto', threadMinBytes: 0 }, 1),
      threadingPlan.NO_THREADS,
    ]);
  }, 120_000);
});
