import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../config/app-config';
import { createWorkerScorer } from '../inference/worker-scorer';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { loadBundle } from '../registry/bundle';
import { startWorkerWriterHost } from '../store/batch-writer-host';
import { screenTestBed } from '../testing/screen-test-bed';
import { buildTestModelParts, referenceScores, type TestModelParts } from '../testing/test-model';
import { threadedDriftObserver } from './drift-thread';
import { OUTPUT_HEADER, REVIEW_HEADER } from './output-csv';
import { startParseHost } from './parse-host';
import { type BatchObserver, screenFile } from './screen-file';
import type { ScreeningModel } from './screening-model';
import { writeSyntheticBatch } from './synthetic-batch';

let parts: TestModelParts;
const bed = screenTestBed('screen-test-');
const { options } = bed;

beforeAll(async () => {
  parts = await buildTestModelParts();
});

/** The test model, except that its scorer throws `message` on call number `failAt`. */
function failingOnCall(failAt: number, message: string): { model: ScreeningModel; calls: () => number } {
  let calls = 0;
  const failing: ScreeningModel = {
    ...bed.model,
    scorer: {
      featureCount: 11,
      async scoreInto(i, n, out, o) {
        if (++calls === failAt) throw new Error(message);
        await bed.model.scorer.scoreInto(i, n, out, o);
      },
      release: async () => {},
    },
  };
  return { model: failing, calls: () => calls };
}

describe('screenFile', () => {
  test("each stage's CPU time is measured only when asked; the total always, and the outputs are the same", async () => {
    const input = join(bed.dir, 'batch_cpu.csv');
    writeSyntheticBatch(input, parts.table, { rows: 2000, seed: 5 });
    // One clock for both, so that their prediction dates, and so their outputs, can be compared byte for byte.
    const now = () => new Date('2026-12-06T03:00:00.000Z');
    const plain = await screenFile({ ...options(input), now, outputPath: join(bed.dir, 'out', 'plain.csv') });
    const measured = await screenFile({
      ...options(input),
      now,
      outputPath: join(bed.dir, 'out', 'measured.csv'),
      force: true,
      stageCpu: true,
    });
    if (plain.kind !== 'completed' || measured.kind !== 'completed') throw new Error('not completed');
    expect(Object.keys(plain.timings.cpuMs)).toEqual(['totalMs']);
    expect(plain.timings.cpuMs.totalMs).toBeGreaterThan(0);
    expect(plain.timings.parseMs).toBeGreaterThan(0);
    expect(Object.keys(measured.timings.cpuMs)).toEqual(expect.arrayContaining(['parseMs', 'scoreMs', 'storeMs']));
    expect(measured.batch.outputSha256).toBe(plain.batch.outputSha256);
    expect(readFileSync(measured.outputPath, 'utf8')).toBe(readFileSync(plain.outputPath, 'utf8'));
  });

  test('every valid row is scored like the TypeScript trees, written with the exact columns, and stored', async () => {
    const input = join(bed.dir, 'batch_a.csv');
    writeSyntheticBatch(input, parts.table, { rows: 3000, seed: 7 });
    const outcome = await screenFile(options(input));
    if (outcome.kind !== 'completed') throw new Error(outcome.kind);
    const lines = readFileSync(outcome.outputPath, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(OUTPUT_HEADER);
    expect(lines).toHaveLength(3001);
    const loaded = await ingestCsvFile(input, { mode: 'batch' });
    if (!loaded.ok) throw new Error('reload');
    const expected = referenceScores(parts, loaded.table);
    const date = outcome.batch.predictionDate;
    for (let i = 0; i < 3000; i++) {
      const [id, rec, score, category, version, when] = lines[i + 1].split(',');
      expect(id).toBe(loaded.table.ids[i]);
      expect(Math.abs(Number(score) - expected[i])).toBeLessThanOrEqual(0.0005 + 1e-6);
      if (Math.abs(expected[i] - 0.4) > 1e-6) expect(rec).toBe(expected[i] >= 0.4 ? '1' : '0');
      expect(['Low', 'Medium', 'High']).toContain(category);
      expect([version, when]).toEqual(['v0.0.1', date]);
    }
    const stored = bed.store.batches.predictions(outcome.batch.id, { limit: 5000 });
    expect(stored.total).toBe(3000);
    for (let i = 0; i < 3000; i++) {
      expect(Math.abs(stored.rows[i].score - expected[i])).toBeLessThan(1e-6);
      expect(stored.rows[i].recommendation).toBe(stored.rows[i].score >= 0.4 ? 1 : 0);
    }
    expect(outcome.batch).toMatchObject({
      status: 'completed',
      rowsRead: 3000,
      rowsValid: 3000,
      modelVersion: 'v0.0.1',
    });
    const c = outcome.batch.counts;
    expect(c.High + c.Medium + c.Low).toBe(3000);
    expect(existsSync(join(bed.dir, 'out'))).toBe(true);
    expect(readdirSync(join(bed.dir, 'out')).sort()).toEqual([
      'predictions_batch_a.csv',
      'predictions_batch_a_review.csv',
    ]);
    // The manual-review list: exactly the patients whose stored score is within the band (0.05) of the threshold.
    const review = readFileSync(outcome.reviewPath, 'utf8').trimEnd().split('\n');
    expect(review[0]).toBe(REVIEW_HEADER);
    const near = stored.rows.filter((r) => Math.abs(r.score - 0.4) <= 0.05).map((r) => r.patientId);
    expect(near.length).toBeGreaterThan(0);
    expect(review.slice(1).map((l) => l.split(',')[0])).toEqual(near);
    expect(outcome.borderlineCount).toBe(near.length);
    expect(bed.store.audit.verify().ok).toBe(true);
  });

  test('with parsing, scoring and storing on worker threads the output, the bed.store and the report are the same', async () => {
    const input = join(bed.dir, 'batch_threads.csv');
    writeSyntheticBatch(input, parts.table, { rows: 20_000, seed: 21 });
    appendFileSync(input, 'PBAD,1,-4,70,20,0,30,0.5,40\n');
    const date = () => new Date('2026-11-26T10:00:00.000Z');
    const plain = await screenFile(options(input, { now: date, outputPath: join(bed.dir, 'out', 'plain.csv') }));
    const parseHost = await startParseHost();
    const writerHost = await startWorkerWriterHost(join(bed.dir, 'db.sqlite'));
    // Scored on a worker: the pipeline overlaps chunks (one scored while the next is parsed).
    const scorer = await createWorkerScorer(parts.onnx, 11);
    try {
      const threaded = await screenFile(
        options(input, {
          now: date,
          force: true,
          parseHost,
          writerHost,
          model: { ...bed.model, scorer },
          parseInWorkerMinBytes: 0,
          outputPath: join(bed.dir, 'out', 'threaded.csv'),
        }),
      );
      if (plain.kind !== 'completed' || threaded.kind !== 'completed') throw new Error('not completed');
      expect(readFileSync(threaded.outputPath, 'utf8')).toBe(readFileSync(plain.outputPath, 'utf8'));
      expect(threaded.report).toEqual(plain.report);
      expect(threaded.batch).toMatchObject({
        rowsRead: 20_001,
        rowsValid: 20_000,
        rowsRejected: 1,
        counts: plain.batch.counts,
      });
      const a = bed.store.batches.predictions(plain.batch.id, { limit: 25_000 }).rows;
      const b = bed.store.batches.predictions(threaded.batch.id, { limit: 25_000 }).rows;
      expect(b.map((r) => ({ ...r, batchId: 0 }))).toEqual(a.map((r) => ({ ...r, batchId: 0 })));
      expect(bed.store.batches.issues(threaded.batch.id)).toEqual(bed.store.batches.issues(plain.batch.id));

      const bad = join(bed.dir, 'batch_threads_bad.csv');
      writeFileSync(bad, 'patient_id,Glucose\nP1,100\n');
      const rejected = await screenFile(options(bad, { parseHost, writerHost, parseInWorkerMinBytes: 0 }));
      expect(rejected).toMatchObject({ kind: 'rejected', batch: { status: 'rejected' } });
    } finally {
      await parseHost.close();
      await writerHost.close();
      await scorer.release();
    }
  });

  test('the same file again is a duplicate; --force scores it again', async () => {
    const input = join(bed.dir, 'batch_b.csv');
    writeSyntheticBatch(input, parts.table, { rows: 50, seed: 8 });
    const first = await screenFile(options(input));
    const again = await screenFile(options(input));
    expect(again).toMatchObject({
      kind: 'duplicate',
      previous: [{ id: first.kind === 'completed' ? first.batch.id : -1 }],
    });
    expect((await screenFile(options(input, { force: true }))).kind).toBe('completed');
    expect(bed.store.batches.list()).toHaveLength(2);
  });

  test('a file without a required column is rejected: copied with an errors JSON, nothing scored', async () => {
    const input = join(bed.dir, 'batch_bad.csv');
    writeFileSync(input, 'patient_id,Pregnancies,Glucose\nP1,1,100\n');
    const outcome = await screenFile(options(input));
    if (outcome.kind !== 'rejected') throw new Error(outcome.kind);
    expect(readFileSync(outcome.rejectedCopy, 'utf8')).toBe(readFileSync(input, 'utf8'));
    const errors = JSON.parse(readFileSync(outcome.errorsPath, 'utf8'));
    expect(errors.problems.join('\n')).toMatch(/BloodPressure/);
    expect(outcome.batch).toMatchObject({ status: 'rejected', rowsValid: 0 });
    expect(bed.store.batches.predictions(outcome.batch.id).total).toBe(0);
    expect(existsSync(join(bed.dir, 'out', 'predictions_batch_bad.csv'))).toBe(false);
  });

  test('bad rows are rejected with reasons, the rest scored; formula-like ids are neutralised', async () => {
    const input = join(bed.dir, 'batch_mixed.csv');
    writeFileSync(
      input,
      [
        'patient_id,Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age',
        '=HYPERLINK("x"),1,148,72,35,0,33.6,0.627,50',
        'P2,1,-5,66,29,0,26.6,0.351,31',
        '@P3,0,137,40,35,168,43.1,2.288,33',
      ].join('\n'),
    );
    const outcome = await screenFile(options(input));
    if (outcome.kind !== 'completed') throw new Error(outcome.kind);
    const lines = readFileSync(outcome.outputPath, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1].startsWith(`"'=HYPERLINK(""x"")",`)).toBe(true);
    expect(lines[2].startsWith("'@P3,")).toBe(true);
    expect(outcome.batch).toMatchObject({ rowsRead: 3, rowsValid: 2, rowsRejected: 1 });
    expect(bed.store.batches.issues(outcome.batch.id, { severity: 'error' })).toMatchObject([
      { line: 3, patientId: 'P2', column: 'Glucose', value: '-5' },
    ]);
  });

  test('a failure mid-batch leaves no batch, no output and no temp file', async () => {
    const input = join(bed.dir, 'batch_c.csv');
    writeSyntheticBatch(input, parts.table, { rows: 200_000, seed: 9 });
    const failing = failingOnCall(3, 'disk on fire');
    await expect(screenFile(options(input, { model: failing.model }))).rejects.toThrow('disk on fire');
    expect(failing.calls()).toBe(3);
    expect(bed.store.batches.list()).toEqual([]);
    expect(bed.store.audit.count()).toBe(0);
    expect(readdirSync(join(bed.dir, 'out'))).toEqual([]);
  });

  test('a failure mid-batch closes the drift thread observing the batch', async () => {
    const input = join(bed.dir, 'batch_fail_drift.csv');
    writeSyntheticBatch(input, parts.table, { rows: 150_000, seed: 23 });
    const failing = failingOnCall(2, 'scorer failed');
    const { reference } = await loadBundle(join(import.meta.dirname, '../../models/production'));
    const drift = threadedDriftObserver(
      { reference, config: parseConfig({}).drift, expectedRows: 150_000, model: null },
      null,
    );
    let closed = 0;
    const observer: BatchObserver = {
      chunk: (table, matrix, scores) => drift.chunk(table, matrix, scores),
      finish: () => drift.finish(),
      close: () => {
        closed++;
        drift.close?.();
      },
    };
    await expect(screenFile(options(input, { model: failing.model, observer }))).rejects.toThrow('scorer failed');
    expect(closed).toBe(1);
    await expect(drift.finish()).rejects.toThrow(/drift thread was closed/);
    expect(bed.store.batches.list()).toEqual([]);
    expect(readdirSync(join(bed.dir, 'out'))).toEqual([]);
  });

  test('after a failure mid-batch on the parse and bed.store threads, both threads take the next file', async () => {
    const input = join(bed.dir, 'batch_fail_threads.csv');
    writeSyntheticBatch(input, parts.table, { rows: 150_000, seed: 22 });
    const failing = failingOnCall(2, 'scorer failed');
    const parseHost = await startParseHost();
    const writerHost = await startWorkerWriterHost(join(bed.dir, 'db.sqlite'));
    try {
      const threads = { parseHost, writerHost, parseInWorkerMinBytes: 0 };
      await expect(screenFile(options(input, { ...threads, model: failing.model }))).rejects.toThrow('scorer failed');
      expect(bed.store.batches.list()).toEqual([]);
      expect(readdirSync(join(bed.dir, 'out'))).toEqual([]);
      const again = await screenFile(options(input, threads));
      expect(again).toMatchObject({ kind: 'completed', batch: { rowsValid: 150_000 } });
    } finally {
      await parseHost.close();
      await writerHost.close();
    }
  });

  test('a file that keeps growing is retried with back-off, then reported as not ready', async () => {
    const input = join(bed.dir, 'batch_growing.csv');
    writeSyntheticBatch(input, parts.table, { rows: 10, seed: 3 });
    const timer = setInterval(() => appendFileSync(input, ''), 5);
    const grow = setInterval(() => appendFileSync(input, 'P999,1,100,70,20,0,30,0.5,40\n'), 20);
    try {
      const outcome = await screenFile(
        options(input, { retry: { ...bed.retry, attempts: 2, initialDelayMs: 20, stableWindowMs: 100 } }),
      );
      expect(outcome).toMatchObject({ kind: 'not-ready', reason: 'growing', attempts: 3 });
    } finally {
      clearInterval(timer);
      clearInterval(grow);
    }
    expect(bed.store.batches.list()).toEqual([]);
  });

  test('a file that stops growing is scored, and the retries are recorded', async () => {
    const input = join(bed.dir, 'batch_late.csv');
    writeSyntheticBatch(input, parts.table, { rows: 10, seed: 4 });
    const grow = setInterval(() => appendFileSync(input, 'P999,1,100,70,20,0,30,0.5,40\n'), 20);
    setTimeout(() => clearInterval(grow), 150);
    const outcome = await screenFile(
      options(input, { retry: { ...bed.retry, attempts: 6, initialDelayMs: 60, stableWindowMs: 100 } }),
    );
    if (outcome.kind !== 'completed') throw new Error(outcome.kind);
    expect(outcome.batch.retryAttempts).toBeGreaterThan(0);
  });
});
