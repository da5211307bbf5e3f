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
  test('labels are idempotent and conflicts are reported, not stored', () => {
    const w = store.batches.begin(meta);
    w.addPredictions(chunk(0, 3));
    w.commit(summary);
    const input = [
      { patientId: 'P1', outcome: 1 as const, diagnosisDate: '2026-12-01', batchId: 1, rowIndex: 1 },
      { patientId: 'P9', outcome: 0 as const, diagnosisDate: null, batchId: null, rowIndex: null },
    ];
    const by = { sourceFile: 'labels.csv', sourceSha256: null, importedBy: 'admin' };
    expect(store.labels.add(input, by)).toEqual({ inserted: 2, unchanged: 0, conflicts: [] });
    expect(store.labels.add(input, by)).toEqual({ inserted: 0, unchanged: 2, conflicts: [] });
    const flipped = store.labels.add([{ ...input[0], outcome: 0 }], by);
    expect(flipped.conflicts).toEqual([
      { patientId: 'P1', diagnosisDate: '2026-12-01', storedOutcome: 1, newOutcome: 0 },
    ]);
    expect(store.labels.count()).toBe(2);
    expect(store.labels.listMatched()).toMatchObject([{ patientId: 'P1', outcome: 1, score: 0.01, age: 17 }]);
  });
});
