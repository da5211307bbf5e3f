import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SAMPLE_BATCH_META, SAMPLE_BATCH_SUMMARY } from '../testing/sample-batch';
import { execRawSql, migrateDatabaseTo } from '../testing/store-fixtures';
import { openStore } from './sqlite-store';

/**
 * Migration 5 rebuilds the batches table (a CHECK cannot change in place): a version-4 database keeps every batch,
 * its predictions and what refers to it, gains units ('[]' for old batches), and accepts the 'held' status.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migration-5-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a version-4 batch with predictions survives, reads back with no units, and a held batch can be stored', () => {
  const dbPath = join(dir, 'db.sqlite');
  migrateDatabaseTo(dbPath, 4);
  execRawSql(
    dbPath,
    `INSERT INTO batches (id, file_name, file_sha256, source, actor, status, prediction_date, started_at, rows_read,
       rows_valid, rows_with_warnings, count_low)
     VALUES (7, 'old.csv', 'abc', 'cli', 'cli', 'completed', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 3, 3, 2, 3)`,
  );
  execRawSql(
    dbPath,
    `INSERT INTO predictions (batch_id, row_index, line, patient_id, score, category, recommendation)
     VALUES (7, 0, 2, 'P1', 0.1, 0, 0), (7, 1, 3, 'P2', 0.2, 0, 0), (7, 2, 4, 'P3', 0.3, 0, 0)`,
  );
  const store = openStore(dbPath);
  try {
    const old = store.batches.get(7);
    expect(old).toMatchObject({ fileName: 'old.csv', status: 'completed', rowsRead: 3, units: [] });
    // Two of three rows warned: more than half.
    expect(old?.warningsOnMostRows).toBe(true);
    // Its predictions still belong to it (their inputs were never written here: only the rows are counted).
    expect(store.batches.predictions(7, { limit: 0 }).total).toBe(3);
    expect(store.batches.predictions(7, { limit: 0, search: 'P2' }).total).toBe(1);

    const writer = store.batches.begin({ ...SAMPLE_BATCH_META, fileSha256: 'held-file' });
    const held = writer.commit({
      ...SAMPLE_BATCH_SUMMARY,
      status: 'held',
      errors: ['Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert'],
      units: [],
    });
    expect(store.batches.get(held.id)).toMatchObject({ status: 'held', rowsValid: 0 });
    expect(store.batches.list({ status: 'held' }).map((b) => b.id)).toEqual([held.id]);
  } finally {
    store.close();
  }
  // The CHECK still refuses a status the app does not know.
  expect(() => execRawSql(dbPath, "UPDATE batches SET status = 'paused' WHERE id = 7")).toThrow(/CHECK/);
});
