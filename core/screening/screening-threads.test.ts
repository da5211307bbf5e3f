import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { BatchMeta } from '../store/batch-repository';
import type { BatchWriterHost } from '../store/batch-writer-host';
import { openStore } from '../store/sqlite-store';
import type { LoadedScreeningModel } from './load-model';
import { createScreeningThreads, type ScreeningThreads, type ThreadSettings } from './threading-plan';

const STORE_THREAD: ThreadSettings = {
  parseThread: false,
  storeThread: true,
  scoreThread: false,
  threadMinBytes: 8_000_000,
  onnxThreads: 1,
  splitScoring: false,
};
// With the score thread off the model is handed through untouched: no session is opened.
const MODEL = { version: 'v1' } as unknown as LoadedScreeningModel;
const meta: BatchMeta = {
  fileName: 'batch.csv',
  fileSha256: 'e'.repeat(64),
  source: 'test',
  actor: 'tester',
  modelVersion: 'v1',
  threshold: 0.3,
  riskCuts: { medium: 0.3, high: 0.6 },
  predictionDate: '2026-12-06T00:00:00.000Z',
};

let dir: string;
let threads: ScreeningThreads | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'threading-plan-'));
});
afterEach(async () => {
  await threads?.close();
  threads = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A batch begins through the host (a row id is given) and is rolled back, leaving nothing stored. */
async function expectBatchBegins(host: BatchWriterHost | undefined): Promise<void> {
  expect(host).toBeDefined();
  const writer = await host?.begin(meta);
  expect(writer?.batchId).toBeGreaterThan(0);
  await writer?.rollback();
}

describe('createScreeningThreads: the store thread', () => {
  test('a file gets its writer host at once; the batch begins once the thread has started', async () => {
    const dbPath = join(dir, 'db.sqlite');
    const store = openStore(dbPath);
    try {
      threads = createScreeningThreads(STORE_THREAD, dbPath);
      const options = await threads.forFile(MODEL, 10);
      expect(options.model).toBe(MODEL);
      await expectBatchBegins(options.writerHost);
    } finally {
      store.close();
    }
  });

  test('a thread that cannot start fails the batch it was meant for, and the next file starts a new one', async () => {
    const dbPath = join(dir, 'not-yet', 'db.sqlite');
    threads = createScreeningThreads(STORE_THREAD, dbPath);
    const first = await threads.forFile(MODEL, 10);
    await expect(first.writerHost?.begin(meta)).rejects.toThrow(/db\.sqlite|directory|unable to open/i);
    mkdirSync(join(dir, 'not-yet'));
    const store = openStore(dbPath);
    try {
      const second = await threads.forFile(MODEL, 10);
      await expectBatchBegins(second.writerHost);
      expect(store.batches.list({ limit: 10 })).toHaveLength(0);
    } finally {
      store.close();
    }
  });

  test('prepare() starts the store thread of a large file before the model, racing this thread to create the database', async () => {
    for (let round = 0; round < 4; round++) {
      const dbPath = join(dir, `race-${round}.sqlite`);
      const raced = createScreeningThreads({ ...STORE_THREAD, storeThread: 'auto' }, dbPath);
      try {
        raced.prepare(8_000_000);
        // Both connections create and migrate the same new file, this one at once or a little after the thread.
        await new Promise((resolve) => setTimeout(resolve, round * 60));
        const store = openStore(dbPath);
        try {
          const options = await raced.forFile(MODEL, 8_000_000);
          await expectBatchBegins(options.writerHost);
          expect(store.batches.list({ limit: 10 })).toHaveLength(0);
          expect(store.audit.verify().ok).toBe(true);
        } finally {
          store.close();
        }
      } finally {
        await raced.close();
      }
    }
  });

  test('prepare() starts nothing for a file below the size a thread pays from', async () => {
    threads = createScreeningThreads({ ...STORE_THREAD, storeThread: 'auto' }, join(dir, 'never.sqlite'));
    threads.prepare(1_000);
    expect((await threads.forFile(MODEL, 1_000)).writerHost).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
  });

  test('warm() reports a thread forced on that cannot start', async () => {
    threads = createScreeningThreads(STORE_THREAD, join(dir, 'missing', 'db.sqlite'));
    await expect(threads.warm(MODEL)).rejects.toThrow();
  });
});
