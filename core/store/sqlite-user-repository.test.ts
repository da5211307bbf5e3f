import { beforeEach, describe, expect, test } from 'vitest';
import {
  sampleChunk as chunk,
  SAMPLE_BATCH_META as meta,
  SAMPLE_BATCH_SUMMARY as summary,
} from '../testing/sample-batch';
import { storePerTest } from '../testing/temp-store';
import type { Store } from './store';

let store: Store;
const temp = storePerTest(() => store);
beforeEach(() => {
  store = temp().store;
});

describe('monitoring tables', () => {
  test('users are unique case-insensitively and reviews name the patient', () => {
    const hash = { n: 16384, r: 8, p: 1, keyLength: 64, salt: 'ab', hash: 'cd' };
    store.users.create({ username: 'Admin', role: 'admin', password: hash, createdBy: 'first-run' });
    expect(() => store.users.create({ username: 'admin', role: 'clinician', password: hash, createdBy: 'x' })).toThrow(
      /username "admin" is taken/,
    );
    expect(store.users.passwordOf('ADMIN')).toEqual(hash);
    const w = store.batches.begin(meta);
    w.addPredictions(chunk(0, 3));
    const { id } = w.commit(summary);
    expect(store.reviews.add({ batchId: id, rowIndex: 2, reviewedBy: 'Admin', note: 'called' })).toMatchObject({
      patientId: 'P2',
    });
    expect(() => store.reviews.add({ batchId: id, rowIndex: 9, reviewedBy: 'Admin', note: '' })).toThrow(/no row 9/);
  });
});
