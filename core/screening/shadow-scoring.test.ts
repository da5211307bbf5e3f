import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../config/app-config';
import { createWorkerScorer } from '../inference/worker-scorer';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { categorizeRisk } from '../model/risk-category';
import { startWorkerWriterHost } from '../store/batch-writer-host';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { buildChallengerParts, buildChallengerShadow } from '../testing/challenger-model';
import { buildTestModel, buildTestModelParts, referenceScores } from '../testing/test-model';
import { type ScreenFileOptions, screenFile } from './screen-file';
import type { ScreeningModel } from './screening-model';
import type { ShadowScreeningModel } from './shadow-model';
import { writeSyntheticBatch } from './synthetic-batch';

let production: ScreeningModel;
let dir: string;
let store: Store;
let input: string;
const retry = parseConfig({ retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 } }).retry;
const fixedNow = () => new Date('2026-11-30T09:00:00.000Z');

beforeAll(async () => {
  production = await buildTestModel();
});
afterAll(async () => {
  await production.scorer.release();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shadow-screen-'));
  store = openStore(join(dir, 'db.sqlite'));
  input = join(dir, 'batch_shadow.csv');
  writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 2500, seed: 21 });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(outputName: string, extra: Partial<ScreenFileOptions> = {}): ScreenFileOptions {
  return {
    inputPath: input,
    outputPath: join(dir, 'out', outputName),
    outputDir: join(dir, 'out'),
    rejectedDir: join(dir, 'rejected'),
    store,
    model: production,
    actor: 'tester',
    source: 'test',
    retry,
    force: true,
    now: fixedNow,
    ...extra,
  };
}

function assign(version = 'v0.0.2') {
  return store.shadow.assign(
    { modelId: 'experiments/model_challenger', modelVersion: version, onnxSha256: 'a'.repeat(64) },
    'admin',
  ).assignment;
}

async function completed(extra: Partial<ScreenFileOptions>, outputName: string) {
  const outcome = await screenFile(options(outputName, extra));
  if (outcome.kind !== 'completed') throw new Error(`expected a completed batch, got ${outcome.kind}`);
  return outcome;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('a batch scored with a shadow model', () => {
  test('stores the shadow scores of every row, and outputs and lists only production scores', async () => {
    const alone = await completed({}, 'alone.csv');
    const assignment = assign();
    const shadow = await buildChallengerShadow(assignment.id);
    try {
      const withShadow = await completed({ shadow: { ok: true, model: shadow } }, 'with-shadow.csv');
      expect(withShadow.shadow).toEqual({ modelVersion: 'v0.0.2', status: 'scored' });
      // The output files are byte for byte what production alone wrote.
      expect(sha256(withShadow.outputPath)).toBe(sha256(alone.outputPath));
      expect(readFileSync(withShadow.reviewPath, 'utf8')).toBe(readFileSync(alone.reviewPath, 'utf8'));
      // The worklist's rows are production's.
      const listed = store.batches.predictions(withShadow.batch.id, { limit: 5000 }).rows;
      const listedAlone = store.batches.predictions(alone.batch.id, { limit: 5000 }).rows;
      expect(listed.map((r) => [r.score, r.category, r.recommendation])).toEqual(
        listedAlone.map((r) => [r.score, r.category, r.recommendation]),
      );

      // The shadow's stored rows are the challenger's own scores, checked against its TypeScript trees.
      const loaded = await ingestCsvFile(input, { mode: 'batch' });
      if (!loaded.ok) throw new Error('the batch did not load');
      const expected = referenceScores(await buildChallengerParts(), loaded.table);
      const pairs = store.shadow.pairs('v0.0.2');
      expect(pairs).toHaveLength(withShadow.batch.rowsValid);
      expect(pairs.every((p) => p.batchId === withShadow.batch.id)).toBe(true);
      pairs.forEach((p, i) => {
        expect(p.shadow.score).toBeCloseTo(expected[i], 5);
        expect(p.shadow.recommendation).toBe(p.shadow.score >= 0.4 ? 1 : 0);
        expect(p.shadow.category).toBe(categorizeRisk(p.shadow.score, 0.4, { medium: 0.35, high: 0.6 }));
        expect(p.production.score).toBe(listed[i].score);
      });
      // The two models do disagree somewhere, or this test would not tell them apart.
      expect(pairs.some((p) => p.shadow.score !== p.production.score)).toBe(true);

      const event = store.audit.list({ action: 'batch.scored' }).at(-1);
      expect(event?.details.shadow).toEqual({ modelVersion: 'v0.0.2', status: 'scored' });
      expect(store.shadow.forBatch(withShadow.batch.id)).toMatchObject({
        status: 'scored',
        rowCount: withShadow.batch.rowsValid,
        assignmentId: assignment.id,
        error: null,
      });
    } finally {
      await shadow.scorer.release();
    }
  });

  test('a shadow with its own preprocessing scores the same parsed rows with its own parameters', async () => {
    const assignment = assign();
    const shadow = await buildChallengerShadow(assignment.id, 'v0.0.2', { ownPreprocessing: true });
    try {
      await completed({ shadow: { ok: true, model: shadow } }, 'own.csv');
      const loaded = await ingestCsvFile(input, { mode: 'batch' });
      if (!loaded.ok) throw new Error('the batch did not load');
      const expected = referenceScores(await buildChallengerParts({ ownPreprocessing: true }), loaded.table);
      const pairs = store.shadow.pairs('v0.0.2');
      expect(pairs).toHaveLength(loaded.table.rowCount);
      pairs.forEach((p, i) => {
        expect(p.shadow.score).toBeCloseTo(expected[i], 5);
      });
    } finally {
      await shadow.scorer.release();
    }
  });

  test('with production scored on its score thread (chunks pipelined), the shadow scores every row alike', async () => {
    // Several read chunks, so that chunk k is scored while chunk k - 1 is finished.
    input = join(dir, 'batch_pipelined.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 15_000, seed: 23 });
    const alone = await completed({}, 'alone.csv');
    const assignment = assign();
    const shadow = await buildChallengerShadow(assignment.id);
    const threaded: ScreeningModel = {
      ...production,
      scorer: await createWorkerScorer((await buildTestModelParts()).onnx, 11),
    };
    try {
      const outcome = await completed({ model: threaded, shadow: { ok: true, model: shadow } }, 'score-thread.csv');
      expect(sha256(outcome.outputPath)).toBe(sha256(alone.outputPath));
      const loaded = await ingestCsvFile(input, { mode: 'batch' });
      if (!loaded.ok) throw new Error('the batch did not load');
      const expected = referenceScores(await buildChallengerParts(), loaded.table);
      const pairs = store.shadow.pairs('v0.0.2');
      expect(pairs).toHaveLength(loaded.table.rowCount);
      pairs.forEach((p, i) => {
        expect(p.shadow.score).toBeCloseTo(expected[i], 5);
      });
    } finally {
      await threaded.scorer.release();
      await shadow.scorer.release();
    }
  });

  test('through the store writer thread, the shadow rows are stored in the batch transaction too', async () => {
    const assignment = assign();
    const shadow = await buildChallengerShadow(assignment.id);
    const writerHost = await startWorkerWriterHost(store.path, null);
    try {
      const outcome = await completed({ shadow: { ok: true, model: shadow }, writerHost }, 'threaded.csv');
      expect(outcome.shadow?.status).toBe('scored');
      expect(store.shadow.pairs('v0.0.2')).toHaveLength(outcome.batch.rowsValid);
    } finally {
      await writerHost.close();
      await shadow.scorer.release();
    }
  });
});

describe('a shadow failure never fails or changes the production batch', () => {
  function failingOnCall(shadow: ShadowScreeningModel, failAt: number): ShadowScreeningModel {
    let calls = 0;
    return {
      ...shadow,
      scorer: {
        featureCount: 11,
        async scoreInto(i, n, out, o) {
          if (++calls === failAt) throw new Error('the shadow session crashed');
          await shadow.scorer.scoreInto(i, n, out, o);
        },
        release: () => shadow.scorer.release(),
      },
    };
  }

  test('a scorer that throws part-way: production completes as without a shadow, the failure is stored and audited', async () => {
    // Several read chunks (about 6,000 rows each), so the failure comes after the first chunk's shadow rows were
    // staged: none of them may be kept.
    input = join(dir, 'batch_big.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 15_000, seed: 22 });
    const alone = await completed({}, 'alone.csv');
    expect(alone.batch.rowsValid).toBeGreaterThan(12_000);
    const assignment = assign();
    const shadow = failingOnCall(await buildChallengerShadow(assignment.id), 2);
    try {
      const outcome = await completed({ shadow: { ok: true, model: shadow } }, 'failing.csv');
      expect(outcome.batch.status).toBe('completed');
      expect(outcome.batch.rowsValid).toBe(alone.batch.rowsValid);
      expect(outcome.batch.counts).toEqual(alone.batch.counts);
      expect(sha256(outcome.outputPath)).toBe(sha256(alone.outputPath));
      expect(outcome.shadow).toEqual({
        modelVersion: 'v0.0.2',
        status: 'failed',
        error: 'the shadow session crashed',
      });
      expect(store.shadow.pairs('v0.0.2')).toHaveLength(0);
      expect(store.shadow.forBatch(outcome.batch.id)).toMatchObject({ status: 'failed', rowCount: 0 });
      const event = store.audit.list({ action: 'batch.scored' }).at(-1);
      expect(event?.details.shadow).toEqual({
        modelVersion: 'v0.0.2',
        status: 'failed',
        error: 'the shadow session crashed',
      });
      expect(store.audit.verify().ok).toBe(true);
    } finally {
      await shadow.scorer.release();
    }
  });

  test('a shadow that returns a score outside [0, 1] is stopped, and production is unchanged', async () => {
    const alone = await completed({}, 'alone.csv');
    const assignment = assign();
    const shadow = await buildChallengerShadow(assignment.id);
    const broken: ShadowScreeningModel = {
      ...shadow,
      scorer: {
        featureCount: 11,
        async scoreInto(i, n, out, o = 0) {
          await shadow.scorer.scoreInto(i, n, out, o);
          out[o + n - 1] = Number.NaN;
        },
        release: () => shadow.scorer.release(),
      },
    };
    try {
      const outcome = await completed({ shadow: { ok: true, model: broken } }, 'nan.csv');
      expect(sha256(outcome.outputPath)).toBe(sha256(alone.outputPath));
      expect(outcome.shadow?.status).toBe('failed');
      expect(outcome.shadow?.error).toMatch(/returned the score NaN/);
      expect(store.shadow.pairs('v0.0.2')).toHaveLength(0);
    } finally {
      await shadow.scorer.release();
    }
  });

  test('a shadow bundle that could not be loaded is recorded as failed for the batch', async () => {
    const assignment = assign();
    const outcome = await completed(
      {
        shadow: {
          ok: false,
          assignmentId: assignment.id,
          version: 'v0.0.2',
          problem: 'model bundle model.onnx: sha256 mismatch',
        },
      },
      'unloadable.csv',
    );
    expect(outcome.batch.status).toBe('completed');
    expect(outcome.shadow).toEqual({
      modelVersion: 'v0.0.2',
      status: 'failed',
      error: 'model bundle model.onnx: sha256 mismatch',
    });
  });
});
