import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contractCaller, value } from '../app/test-support/app-calls';
import { createTestApp, type TestApp } from '../app/test-support/test-app';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { importLabels } from '../labels/label-import';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { buildChallengerParts } from '../testing/challenger-model';
import { pimaPath } from '../testing/pima';
import { writeTestBundle } from '../testing/test-bundle';
import { createShadowComparisonCache, shadowComparisonFor } from './shadow-report';

/**
 * The cached comparison on a real app: a challenger in shadow, batches imported through the contract, labels through
 * the real import. A repeat is served from the cache; a new batch, new labels or another store recompute it.
 */
let app: TestApp;
let dir: string;
const call = contractCaller(() => app);
const CANDIDATE = 'experiments/model_20261203_100000';
const VERSION = 'v0.9.0';

async function importDay(name: string, seed: number, prefix: string): Promise<string[]> {
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  const path = join(dir, name);
  writeSyntheticBatch(path, pima.table, { rows: 300, seed, idPrefix: prefix });
  const admin = app.newSession();
  value(await call(admin, 'signIn', { username: 'admin', password: 'correct horse 1' }));
  value(
    await call(admin, 'importBatch', {
      operationId: name.replace('.', '_'),
      fileName: name,
      content: readFileSync(path, 'utf8'),
    }),
  );
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]);
}

async function label(ids: string[], name: string): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, `patient_id,outcome\n${ids.map((id, i) => `${id},${i % 3 === 0 ? 1 : 0}`).join('\n')}\n`);
  const report = await importLabels(app.store, path, 'tester');
  expect(report.matched).toBe(ids.length);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-shadow-cache-'));
  app = await createTestApp(join(dir, 'data'));
  await writeTestBundle(join(app.modelsRoot, CANDIDATE), VERSION, await buildChallengerParts());
  const admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
  value(await call(admin, 'setShadow', { modelId: CANDIDATE, confirmed: true }));
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the cached shadow comparison', () => {
  test('a repeat is served from the cache; a new batch, labels or another store make it recompute', async () => {
    const cache = createShadowComparisonCache();
    const first = await importDay('day1.csv', 1, 'A');
    const initial = cache.comparisonFor(app.store, VERSION);
    expect(cache.computed).toBe(1);
    expect(initial.agreement.n).toBe(300);
    expect(initial.labelled).toEqual(shadowComparisonFor(app.store, VERSION).labelled);

    // Repeated: the same figures, not computed again; what a caller does to its copy never reaches the cache.
    const again = cache.comparisonFor(app.store, VERSION);
    expect(cache.computed).toBe(1);
    expect(again).toEqual(initial);
    again.agreement.n = -1;
    expect(cache.comparisonFor(app.store, VERSION).agreement.n).toBe(300);
    expect(cache.computed).toBe(1);

    // New labels for the shadow's patients: recomputed, and equal to a comparison computed from scratch.
    await label(first.slice(0, 90), 'labels1.csv');
    const labelled = cache.comparisonFor(app.store, VERSION);
    expect(cache.computed).toBe(2);
    expect(labelled).toEqual(shadowComparisonFor(app.store, VERSION));
    expect(labelled).not.toEqual(initial);

    // A new batch scored by the shadow: recomputed.
    await importDay('day2.csv', 2, 'B');
    const twoBatches = cache.comparisonFor(app.store, VERSION);
    expect(cache.computed).toBe(3);
    expect(twoBatches.agreement.n).toBe(600);
    expect(twoBatches).toEqual(shadowComparisonFor(app.store, VERSION));
    cache.comparisonFor(app.store, VERSION);
    expect(cache.computed).toBe(3);

    // Another store (a restore replaces it) is never served the old store's figures.
    const other = { shadow: { ...app.store.shadow, comparisonKey: app.store.shadow.comparisonKey } };
    cache.comparisonFor(other, VERSION);
    expect(cache.computed).toBe(4);
  }, 120_000);

  test('labels of patients the shadow never scored leave the fingerprint as it is', async () => {
    const before = app.store.shadow.comparisonKey(VERSION);
    // Clear the shadow; the next batch is production's alone, and its labels are not the comparison's inputs.
    const admin = app.newSession();
    value(await call(admin, 'signIn', { username: 'admin', password: 'correct horse 1' }));
    value(await call(admin, 'clearShadow', { confirmed: true }));
    const ids = await importDay('day3.csv', 3, 'C');
    await label(ids.slice(0, 30), 'labels3.csv');
    expect(app.store.shadow.comparisonKey(VERSION)).toBe(before);
    expect(app.store.shadow.comparisonKey('v9.9.9')).not.toBe(before);
  }, 120_000);
});
