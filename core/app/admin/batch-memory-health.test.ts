import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { writeSyntheticBatch } from '../../screening/synthetic-batch';
import { pimaPath } from '../../testing/pima';
import { appCaller, contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

let app: TestApp;
let dir: string;
const call = appCaller(() => app);
const typedCall = contractCaller(() => app);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-batch-memory-'));
  app = await createTestApp(join(dir, 'data'));
});
afterAll(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("System health shows each batch's own peak memory: a large batch far above the small ones before and after it", async () => {
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  const file = (name: string, rows: number, seed: number) => {
    writeSyntheticBatch(join(dir, name), pima.table, { rows, seed, idPrefix: name[0].toUpperCase() });
    return readFileSync(join(dir, name), 'utf8');
  };
  const admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
  const imp = async (fileName: string, content: string) =>
    value(await typedCall(admin, 'importBatch', { operationId: fileName.replace('.', '_'), fileName, content }));
  await imp('before.csv', file('before.csv', 300, 1));
  await imp('large.csv', file('large.csv', 150_000, 2));
  await imp('after.csv', file('after.csv', 300, 3));

  const health = value(await typedCall(admin, 'systemHealth', {}));
  const memory = Object.fromEntries(health.map((h) => [h.fileName, h.batchMemoryMb]));
  const processPeakMb = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  for (const name of ['before.csv', 'large.csv', 'after.csv']) {
    expect(memory[name], name).not.toBeNull();
    expect(memory[name], name).toBeGreaterThanOrEqual(0);
    expect(memory[name], name).toBeLessThan(processPeakMb);
  }
  // 150 000 rows staged for the store and scored take tens of MB; 300 rows take next to nothing. The small batch
  // after the large one must not inherit the large one's peak, as the process's own high-water mark would.
  expect(memory['large.csv']).toBeGreaterThan(20);
  expect(memory['large.csv']).toBeGreaterThan(4 * (memory['before.csv'] as number));
  expect(memory['large.csv']).toBeGreaterThan(4 * (memory['after.csv'] as number));
});
