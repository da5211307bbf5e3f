import { describe, expect, test } from 'vitest';
import {
  sampleChunk as chunk,
  SAMPLE_BATCH_META as meta,
  SAMPLE_BATCH_SUMMARY as summary,
} from '../testing/sample-batch';
import { execRawSql } from '../testing/store-fixtures';
import { storeHolderPerTest } from '../testing/temp-store';
import { MIGRATIONS } from './migrations';
import { openStore } from './sqlite-store';

const db = storeHolderPerTest();

describe('migrations', () => {
  test('a new database is at the latest version and reopening applies nothing twice', () => {
    expect(db.store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    db.store.close();
    db.store = openStore(db.dbPath);
    expect(db.store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
  });

  test('a database from a newer app is refused with a message naming both versions', () => {
    db.store.close();
    execRawSql(db.dbPath, "INSERT INTO schema_version VALUES (999, 'future', 'x')");
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    expect(() => openStore(db.dbPath)).toThrow(`version 999, newer than this app supports (${latest})`);
    db.store = openStore(':memory:');
  });
});

describe('monitoring tables', () => {
  test('labels are idempotent and conflicts are reported, not stored', () => {
    const w = db.store.batches.begin(meta);
    w.addPredictions(chunk(0, 3));
    w.commit(summary);
    const input = [
      { patientId: 'P1', outcome: 1 as const, diagnosisDate: '2026-12-01', batchId: 1, rowIndex: 1 },
      { patientId: 'P9', outcome: 0 as const, diagnosisDate: null, batchId: null, rowIndex: null },
    ];
    const by = { sourceFile: 'labels.csv', sourceSha256: null, importedBy: 'admin' };
    expect(db.store.labels.add(input, by)).toEqual({ inserted: 2, unchanged: 0, conflicts: [] });
    expect(db.store.labels.add(input, by)).toEqual({ inserted: 0, unchanged: 2, conflicts: [] });
    const flipped = db.store.labels.add([{ ...input[0], outcome: 0 }], by);
    expect(flipped.conflicts).toEqual([
      { patientId: 'P1', diagnosisDate: '2026-12-01', storedOutcome: 1, newOutcome: 0 },
    ]);
    expect(db.store.labels.count()).toBe(2);
    expect(db.store.labels.listMatched()).toMatchObject([{ patientId: 'P1', outcome: 1, score: 0.01, age: 17 }]);
  });

  test('drift results attach to their batch', () => {
    const w = db.store.batches.begin(meta);
    const { id } = w.commit(summary);
    db.store.drift.save(id, { datasetDrift: true, driftedCount: 4 }, { features: [] });
    expect(db.store.batches.get(id)?.datasetDrift).toBe(true);
    expect(db.store.drift.get(id)).toMatchObject({ driftedCount: 4, report: { features: [] } });
  });

  test('users are unique case-insensitively and reviews name the patient', () => {
    const hash = { n: 16384, r: 8, p: 1, keyLength: 64, salt: 'ab', hash: 'cd' };
    db.store.users.create({ username: 'Admin', role: 'admin', password: hash, createdBy: 'first-run' });
    expect(() =>
      db.store.users.create({ username: 'admin', role: 'clinician', password: hash, createdBy: 'x' }),
    ).toThrow(/username "admin" is taken/);
    expect(db.store.users.passwordOf('ADMIN')).toEqual(hash);
    const w = db.store.batches.begin(meta);
    w.addPredictions(chunk(0, 3));
    const { id } = w.commit(summary);
    expect(db.store.reviews.add({ batchId: id, rowIndex: 2, reviewedBy: 'Admin', note: 'called' })).toMatchObject({
      patientId: 'P2',
    });
    expect(() => db.store.reviews.add({ batchId: id, rowIndex: 9, reviewedBy: 'Admin', note: '' })).toThrow(/no row 9/);
  });
});
