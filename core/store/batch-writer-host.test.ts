import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RiskCategory } from '../api/outputs';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns } from '../table/patient-table';
import { completedSummary } from '../testing/batch-summary';
import type { BatchMeta, PredictionChunk } from './batch-repository';
import { type BatchWriterHost, startWorkerWriterHost } from './batch-writer-host';
import { openStore } from './sqlite-store';
import type { Store } from './store';

let dir: string;
let dbPath: string;
let store: Store;
let host: BatchWriterHost;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'writer-host-'));
  dbPath = join(dir, 'db.sqlite');
  store = openStore(dbPath);
  host = await startWorkerWriterHost(dbPath);
});
afterEach(async () => {
  await host.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function chunk(start: number, n: number): PredictionChunk {
  const features = emptyFeatureColumns(n);
  const categories: RiskCategory[] = [];
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    FEATURE_COLUMNS.forEach((f, k) => {
      features[f][i] = start + i + k / 10;
    });
    scores[i] = ((start + i) % 100) / 100;
    categories.push(scores[i] >= 0.6 ? 'High' : scores[i] >= 0.3 ? 'Medium' : 'Low');
  }
  features.Insulin[0] = Number.NaN;
  return {
    table: {
      rowCount: n,
      ids: Array.from({ length: n }, (_, i) => `P${start + i}`),
      lineNumbers: Uint32Array.from({ length: n }, (_, i) => start + i + 2),
      features,
      outcome: null,
    },
    scores,
    categories,
    recommendations: Uint8Array.from(scores, (s) => (s >= 0.3 ? 1 : 0)),
  };
}

const meta: BatchMeta = {
  fileName: 'batch.csv',
  fileSha256: 'f'.repeat(64),
  source: 'test',
  actor: 'tester',
  modelVersion: 'v1',
  threshold: 0.3,
  riskCuts: { medium: 0.3, high: 0.6 },
  predictionDate: '2026-11-26T00:00:00.000Z',
};
const summary = completedSummary(2500, { durationMs: 10 });

describe('worker writer host', () => {
  test('a batch written on the worker thread is committed whole and reads back identically', async () => {
    const writer = await host.begin(meta);
    for (let s = 0; s < 2500; s += 1000) await writer.addPredictions(chunk(s, Math.min(1000, 2500 - s)));
    const record = await writer.commit(summary, { verdict: { datasetDrift: true, driftedCount: 3 }, report: { x: 1 } });
    expect(record).toMatchObject({ id: writer.batchId, rowsValid: 2500, datasetDrift: true });
    const rows = store.batches.predictions(record.id, { limit: 3000 }).rows;
    expect(rows).toHaveLength(2500);
    expect(rows[1001]).toMatchObject({ patientId: 'P1001', line: 1003, score: 0.01, category: 'Low' });
    expect(rows[1000].inputs.Insulin).toBeNull();
    expect(rows[1001].inputs.Age).toBeCloseTo(1001.7, 10);
    expect(store.audit.verify().ok).toBe(true);
  });

  test('a rolled-back batch leaves nothing, and the host takes the next batch', async () => {
    const first = await host.begin(meta);
    await first.addPredictions(chunk(0, 500));
    await first.rollback();
    expect(store.batches.list()).toEqual([]);
    const second = await host.begin(meta);
    await second.addPredictions(chunk(0, 10));
    expect((await second.commit({ ...summary, rowsRead: 10 })).rowsValid).toBe(10);
  });

  test('an insert failure on the worker surfaces at commit and nothing is stored', async () => {
    const writer = await host.begin(meta);
    const bad = chunk(0, 5);
    (bad.categories as RiskCategory[])[2] = 'Severe' as RiskCategory; // violates the category CHECK
    await writer.addPredictions(bad);
    await expect(writer.commit(summary)).rejects.toThrow();
    expect(store.batches.list()).toEqual([]);
  });
});
