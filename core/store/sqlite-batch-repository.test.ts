import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, test } from 'vitest';
import type { RiskCategory } from '../api/outputs';
import { FEATURE_COLUMNS } from '../schema/columns';
import {
  sampleChunk as chunk,
  SAMPLE_BATCH_META as meta,
  SAMPLE_BATCH_SUMMARY as summary,
} from '../testing/sample-batch';
import { execRawSql } from '../testing/store-fixtures';
import { storeHolderPerTest } from '../testing/temp-store';
import { connect } from './database';
import { openStore } from './sqlite-store';

const db = storeHolderPerTest();

describe('batches', () => {
  test('a committed batch stores every prediction, the counts it saw, and one audit event', () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 100));
    writer.addPredictions(chunk(100, 37));
    writer.addRejected([
      { line: 5, patientId: 'X1', rule: 'negative', column: 'Glucose', value: '-1', message: 'no', severity: 'error' },
    ]);
    // Warnings in bulk (several 64-row statements and a tail), then one more call: all kept, in order.
    const warnings = Array.from({ length: 150 }, (_, i) => ({
      line: 200 + i,
      patientId: i % 7 === 0 ? null : `W${i}`,
      rule: 'z_score' as const,
      column: 'Insulin',
      value: String(500 + i),
      message: `Insulin: far from the mean (${i})`,
      severity: 'warning' as const,
    }));
    writer.addRejected(warnings.slice(0, 140));
    writer.addRejected(warnings.slice(140));
    const record = writer.commit({ ...summary, rowsRead: 138 });
    const expected = chunk(0, 137);
    const countOf = (c: RiskCategory) => expected.categories.filter((x) => x === c).length;
    expect(record).toMatchObject({
      status: 'completed',
      rowsRead: 138,
      rowsValid: 137,
      rowsRejected: 1,
      counts: { High: countOf('High'), Medium: countOf('Medium'), Low: countOf('Low') },
      recommended: Array.from(expected.recommendations).filter((x) => x === 1).length,
      rowsPerSecond: 138,
      rejectedByRule: { negative: 1 },
    });
    const page = db.store.batches.predictions(record.id, { orderBy: 'row', limit: 1000 });
    expect(page.total).toBe(137);
    expect(page.rows[136]).toMatchObject({ rowIndex: 136, patientId: 'P136', line: 138, score: 0.36 });
    expect(page.rows[136].inputs.Age).toBe(1367);
    const issues = db.store.batches.issues(record.id);
    expect(issues).toHaveLength(151);
    expect(issues.slice(1)).toEqual(warnings);
    expect(db.store.batches.issues(record.id, { severity: 'error' })).toHaveLength(1);
    expect(db.store.audit.list({ action: 'batch.scored' })).toHaveLength(1);
    expect(db.store.audit.verify().ok).toBe(true);
    const trail = readFileSync(db.store.audit.trailPath as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trail.map((l) => l.type)).toEqual(['batch', 'event']);
    expect(JSON.stringify(trail)).not.toContain('1367');
  });

  test('every row is stored as given, whichever statement size (256, 64 or a tail) carried it', () => {
    // Chunk sizes that need each statement: 1000 = 3 x 256 + 3 x 64 + 40; 8200 spans two blobs (8192 + 8).
    const sizes = [1000, 63, 256, 64, 1, 8200, 319];
    const writer = db.store.batches.begin(meta);
    let start = 0;
    for (const n of sizes) {
      writer.addPredictions(chunk(start, n));
      start += n;
    }
    const { id } = writer.commit(summary);
    const conn = connect(db.dbPath);
    const rows = conn
      .prepare(
        `SELECT row_index, line, patient_id, score, category, recommendation FROM predictions
         WHERE batch_id = ? ORDER BY row_index`,
      )
      .raw()
      .all(id);
    conn.close();
    const all = chunk(0, start);
    const code = { Low: 0, Medium: 1, High: 2 } as const;
    expect(rows).toEqual(
      Array.from({ length: start }, (_, i) => [
        i,
        all.table.lineNumbers[i],
        all.table.ids[i],
        all.scores[i],
        code[all.categories[i]],
        all.recommendations[i],
      ]),
    );
  });

  test('a rolled-back batch leaves nothing: no batch, predictions, issues or audit event', () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 500));
    writer.addRejected([
      { line: 5, patientId: 'X1', rule: 'negative', column: 'Glucose', value: '-1', message: 'no', severity: 'error' },
    ]);
    writer.rollback();
    expect(db.store.batches.list()).toEqual([]);
    expect(db.store.audit.count()).toBe(0);
    expect(db.store.batches.predictions(1).total).toBe(0);
  });

  test('a batch that is never committed (process dies) is gone after reopening', () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 500));
    db.store.close(); // closing with an open batch is what a dying process amounts to
    db.store = openStore(db.dbPath);
    expect(db.store.batches.list()).toEqual([]);
  });

  test('the same file sha256 is found, and a second batch cannot start while one is open', () => {
    const writer = db.store.batches.begin(meta);
    expect(() => db.store.batches.begin(meta)).toThrow(/still being written/);
    writer.commit(summary);
    expect(db.store.batches.findBySha256(meta.fileSha256)).toHaveLength(1);
    expect(db.store.batches.findBySha256('b'.repeat(64))).toHaveLength(0);
  });

  test('stored inputs come back columnar in row order, in chunks', () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 250));
    const { id } = writer.commit(summary);
    const chunks = [...db.store.batches.iteratePredictions(id, 100)];
    expect(chunks.map((c) => c.table.rowCount)).toEqual([100, 100, 50]);
    expect(chunks[2].table.ids[49]).toBe('P249');
    expect(chunks[2].table.features.Glucose[49]).toBe(2491);
    expect(chunks[2].scores[49]).toBe(0.49);
  });

  test('inputs round-trip exactly through chunks larger than one blob, missing ones as NaN / null', () => {
    const big = chunk(0, 20_000);
    big.table.features.BMI[5] = 33.7;
    big.table.features.DiabetesPedigreeFunction[9000] = 0.1 + 0.2;
    big.table.features.Glucose[8191] = Number.NaN;
    big.table.features.Insulin[8192] = Number.NaN;
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(big);
    writer.addPredictions(chunk(20_000, 7));
    const { id } = writer.commit(summary);
    const chunks = [...db.store.batches.iteratePredictions(id, 3001)];
    expect(chunks.map((c) => c.rowIndexStart)).toEqual(Array.from({ length: 7 }, (_, i) => i * 3001));
    for (const f of FEATURE_COLUMNS) {
      const stored = new Float64Array(20_007);
      let at = 0;
      for (const c of chunks) {
        stored.set(c.table.features[f], at);
        at += c.table.rowCount;
      }
      const expected = new Float64Array(20_007);
      expected.set(big.table.features[f]);
      expected.set(chunk(20_000, 7).table.features[f], 20_000);
      expect(new BigUint64Array(stored.buffer)).toEqual(new BigUint64Array(expected.buffer));
    }
    expect(db.store.batches.prediction(id, 8191)?.inputs).toMatchObject({ Glucose: null, Insulin: 81_914 });
    expect(db.store.batches.prediction(id, 8192)?.inputs).toMatchObject({ Glucose: 81_921, Insulin: null });
    expect(db.store.batches.prediction(id, 9000)?.inputs.DiabetesPedigreeFunction).toBe(0.1 + 0.2);
    expect(db.store.batches.predictions(id, { offset: 5, limit: 1 }).rows[0].inputs.BMI).toBe(33.7);
    expect(db.store.batches.prediction(id, 20_006)?.inputs.Age).toBe(200_067);
    // Rows asked for together, in any order and across blobs, are the rows asked for one by one.
    const scattered = [20_006, 5, 8192, 8191, 9000, 0, 16_384, 20_007];
    const together = db.store.batches.predictionsAt(id, scattered);
    expect(together).toEqual(scattered.map((rowIndex) => db.store.batches.prediction(id, rowIndex)));
    expect(together[7]).toBeNull();
    expect(together[2]?.inputs).toMatchObject({ Glucose: 81_921, Insulin: null });
  });

  test('a prediction whose stored inputs are gone is an error that names it, never a row without inputs', () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 10));
    const { id } = writer.commit(summary);
    execRawSql(db.dbPath, 'DELETE FROM prediction_inputs WHERE batch_id = ?', [id]);
    expect(() => db.store.batches.prediction(id, 3)).toThrow(`the stored inputs of batch ${id} row 3 are missing`);
    expect(() => [...db.store.batches.iteratePredictions(id)]).toThrow(/row 0 are missing/);
  });

  test('an unknown risk category is refused, and the batch it was meant for cannot be committed', () => {
    const bad = chunk(0, 5);
    (bad.categories as RiskCategory[])[2] = 'Severe' as RiskCategory;
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 100));
    expect(() => writer.addPredictions(bad)).toThrow('unknown risk category "Severe"');
    // Part of that chunk may be in: committing is refused and rolls the whole batch back.
    expect(() => writer.commit(summary)).toThrow(/batch 1 was rolled back: storing its predictions failed/);
    expect(db.store.batches.list()).toEqual([]);
    expect(db.store.batches.predictions(1).total).toBe(0);
    expect(db.store.batches.begin(meta).batchId).toBe(1);
  });

  test('a new database uses 16 KiB pages', () => {
    db.store.close();
    const header = readFileSync(db.dbPath).subarray(0, 100);
    expect(header.readUInt16BE(16)).toBe(16_384);
    db.store = openStore(db.dbPath);
  });

  test('pages filter by category, recommendation and id search, and sort High first', () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 200));
    const { id } = writer.commit(summary);
    const high = db.store.batches.predictions(id, { category: 'High', limit: 500 });
    expect(high.total).toBe(80);
    const byCategory = db.store.batches.predictions(id, { orderBy: 'category', descending: true, limit: 1 });
    expect(byCategory.rows[0]).toMatchObject({ category: 'High', score: 0.99 });
    expect(db.store.batches.predictions(id, { search: 'P19' }).total).toBe(11);
    expect(db.store.batches.predictions(id, { recommendedOnly: true }).total).toBe(140);
  });

  test('the latest prediction of a patient respects the date bound', () => {
    for (const date of ['2026-01-05T10:00:00.000Z', '2026-02-05T10:00:00.000Z']) {
      const w = db.store.batches.begin({ ...meta, predictionDate: date });
      w.addPredictions(chunk(0, 3));
      w.commit(summary);
    }
    expect(db.store.batches.latestPredictionFor('P1')?.batchId).toBe(2);
    expect(db.store.batches.latestPredictionFor('P1', '2026-01-31')?.batchId).toBe(1);
    expect(db.store.batches.latestPredictionFor('P1', '2026-02-05')?.batchId).toBe(2);
    expect(db.store.batches.latestPredictionFor('P1', '2025-12-31')).toBeNull();
  });
});

describe('a batch being written', () => {
  const countRows = (dbPath: string, sql: string) => {
    const raw = connect(dbPath);
    try {
      return (raw.prepare(sql).get() as { n: number }).n;
    } finally {
      raw.close();
    }
  };

  /** A batch begun with 100 predictions and one rejected row, not committed. */
  const openBatchWithRows = () => {
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 100));
    writer.addRejected([
      { line: 5, patientId: 'X1', rule: 'negative', column: 'Glucose', value: '-1', message: 'no', severity: 'error' },
    ]);
    return writer;
  };

  test('is in the tables but shown by no reader, and other writers get the lock between its chunks', () => {
    const writer = openBatchWithRows();
    const id = writer.batchId;
    const other = openStore(db.dbPath);
    try {
      for (const store of [db.store, other]) {
        expect(store.batches.list()).toEqual([]);
        expect(store.batches.list({ status: 'running' })).toEqual([]);
        expect(store.batches.get(id)).toBeNull();
        expect(store.batches.findBySha256(meta.fileSha256)).toEqual([]);
        expect(store.batches.predictions(id).total).toBe(0);
        expect(store.batches.prediction(id, 3)).toBeNull();
        expect(store.batches.predictionsAt(id, [0, 1])).toEqual([null, null]);
        expect([...store.batches.iteratePredictions(id)]).toEqual([]);
        expect(store.batches.issues(id)).toEqual([]);
        expect(store.batches.latestPredictionFor('P1')).toBeNull();
        expect(() => store.reviews.add({ batchId: id, rowIndex: 3, reviewedBy: 'a', note: 'x' })).toThrow(
          /has no row 3/,
        );
      }
      // Its rows are already in their final tables: committing only flips its status.
      expect(countRows(db.dbPath, `SELECT count(*) AS n FROM predictions WHERE batch_id = ${id}`)).toBe(100);
      // Another connection writes while the batch is open (the old design held the lock only at commit, too).
      const raw = connect(db.dbPath);
      raw.pragma('busy_timeout = 0');
      raw.exec('BEGIN IMMEDIATE');
      raw.exec('ROLLBACK');
      raw.close();
      writer.addPredictions(chunk(100, 20));
      const record = writer.commit(summary);
      expect(record.id).toBe(id);
      expect(other.batches.get(id)?.status).toBe('completed');
      expect(other.batches.predictions(id).total).toBe(120);
      expect(other.batches.issues(id)).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  test('a rolled-back batch leaves no row behind', () => {
    const writer = openBatchWithRows();
    writer.rollback();
    for (const table of ['batches', 'predictions', 'prediction_inputs', 'rejected_rows'])
      expect(countRows(db.dbPath, `SELECT count(*) AS n FROM ${table}`)).toBe(0);
  });

  test('left by a process that died, it is deleted when the database is next opened; a live writer keeps its batch', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const writer = db.store.batches.begin(meta);
    writer.addPredictions(chunk(0, 100));
    const abandoned = writer.batchId;
    const liveStore = openStore(db.dbPath);
    const live = liveStore.batches.begin({ ...meta, fileSha256: 'b'.repeat(64) });
    live.addPredictions(chunk(0, 10));
    // The first batch's process "died": its writer names a process that has exited.
    expect(
      execRawSql(db.dbPath, 'UPDATE batches SET writer = ? WHERE id = ?', [`${hostname()}:${dead}`, abandoned]),
    ).toBe(1);
    const reopened = openStore(db.dbPath);
    try {
      expect(countRows(db.dbPath, `SELECT count(*) AS n FROM batches WHERE id = ${abandoned}`)).toBe(0);
      expect(countRows(db.dbPath, `SELECT count(*) AS n FROM predictions WHERE batch_id = ${abandoned}`)).toBe(0);
      expect(countRows(db.dbPath, `SELECT count(*) AS n FROM prediction_inputs WHERE batch_id = ${abandoned}`)).toBe(0);
      // The live one (this process) is untouched and still commits.
      expect(countRows(db.dbPath, `SELECT count(*) AS n FROM predictions WHERE batch_id = ${live.batchId}`)).toBe(10);
      expect(live.commit(summary).rowsValid).toBe(10);
      expect(reopened.batches.list().map((b) => b.id)).toEqual([live.batchId]);
    } finally {
      reopened.close();
      liveStore.close();
    }
  });
});
