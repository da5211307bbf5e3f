import { describe, expect, test } from 'vitest';
import { SAMPLE_BATCH_META, SAMPLE_BATCH_SUMMARY, sampleChunk } from '../testing/sample-batch';
import { execRawSql } from '../testing/store-fixtures';
import { storeHolderPerTest } from '../testing/temp-store';
import type { PredictionChunk } from './batch-repository';
import { openStore } from './sqlite-store';
import { StoreError } from './store-error';

const t = storeHolderPerTest('shadow-store-');
const SHA = 'b'.repeat(64);

/** The sample chunk with shadow scores 1 - production's, categorised and recommended from 0.3 and 0.6. */
function withShadow(chunk: PredictionChunk): PredictionChunk {
  const n = chunk.table.rowCount;
  const scores = Float64Array.from({ length: n }, (_, i) => 1 - chunk.scores[i]);
  return {
    ...chunk,
    shadow: {
      scores,
      categories: Array.from(scores, (s) => (s >= 0.6 ? 'High' : s >= 0.3 ? 'Medium' : 'Low')),
      recommendations: Uint8Array.from(scores, (s) => (s >= 0.3 ? 1 : 0)),
    },
  };
}

function storeBatch(rows: number, chunkRows: number): number {
  const { assignment } = t.store.shadow.assign(
    { modelId: 'experiments/model_a', modelVersion: 'v2.0.0', onnxSha256: SHA },
    'admin',
  );
  const writer = t.store.batches.begin(SAMPLE_BATCH_META);
  for (let start = 0; start < rows; start += chunkRows) {
    writer.addPredictions(withShadow(sampleChunk(start, Math.min(chunkRows, rows - start))));
  }
  const batch = writer.commit({
    ...SAMPLE_BATCH_SUMMARY,
    rowsRead: rows,
    shadow: { assignmentId: assignment.id, modelVersion: 'v2.0.0', status: 'scored', error: null },
  });
  return batch.id;
}

describe('the shadow repository', () => {
  test('one shadow at a time: a new assignment clears the current one, and the history keeps both', () => {
    const first = t.store.shadow.assign({ modelId: 'experiments/a', modelVersion: 'v2.0.0', onnxSha256: SHA }, 'ann');
    const second = t.store.shadow.assign({ modelId: 'experiments/b', modelVersion: 'v2.1.0', onnxSha256: SHA }, 'bob');
    expect(second.previous).toMatchObject({ id: first.assignment.id, clearedBy: 'bob' });
    expect(t.store.shadow.current()?.modelVersion).toBe('v2.1.0');
    expect(t.store.shadow.history().map((a) => [a.modelVersion, a.clearedBy])).toEqual([
      ['v2.1.0', null],
      ['v2.0.0', 'bob'],
    ]);
    // The database itself refuses a second active assignment.
    expect(() =>
      execRawSql(
        t.dbPath,
        `INSERT INTO shadow_assignments (model_id, model_version, onnx_sha256, assigned_at, assigned_by)
         VALUES ('x', 'v9.0.0', ?, '2026-01-01', 'eve')`,
        [SHA],
      ),
    ).toThrow(/UNIQUE/);
    expect(() => t.store.shadow.assign({ modelId: 'x', modelVersion: 'v1.0.0', onnxSha256: 'not-a-sha' }, 'a')).toThrow(
      StoreError,
    );
  });

  test('rows stored a chunk at a time come back row by row beside production, across chunk boundaries', () => {
    const batchId = storeBatch(250, 64);
    const pairs = t.store.shadow.pairs('v2.0.0');
    expect(pairs).toHaveLength(250);
    pairs.forEach((p, i) => {
      expect(p).toMatchObject({ batchId, rowIndex: i, patientId: `P${i}` });
      expect(p.production.score).toBe((i % 100) / 100);
      expect(p.shadow.score).toBe(1 - (i % 100) / 100);
      expect(p.shadow.recommendation).toBe(p.shadow.score >= 0.3 ? 1 : 0);
    });
    expect(t.store.shadow.forBatch(batchId)).toMatchObject({ status: 'scored', rowCount: 250, modelVersion: 'v2.0.0' });
    expect(t.store.shadow.pairs('v9.9.9')).toEqual([]);
  });

  test('a stored chunk that was cut short or edited is reported, never read as something else', () => {
    const batchId = storeBatch(130, 64);
    const path = t.dbPath;
    t.store.close();
    execRawSql(path, 'UPDATE shadow_scores SET categories = ? WHERE batch_id = ? AND first_row = 64', [
      Buffer.alloc(64, 7),
      batchId,
    ]);
    t.store = openStore(path);
    expect(() => t.store.shadow.pairs('v2.0.0')).toThrow(/unknown risk category code 7/);
    t.store.close();
    execRawSql(path, 'DELETE FROM shadow_scores WHERE batch_id = ? AND first_row = 64', [batchId]);
    t.store = openStore(path);
    expect(() => t.store.shadow.pairs('v2.0.0')).toThrow(/do not cover its rows in order/);
  });
});
