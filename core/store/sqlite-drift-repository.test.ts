import { beforeEach, describe, expect, test } from 'vitest';
import { SAMPLE_BATCH_META as meta, SAMPLE_BATCH_SUMMARY as summary } from '../testing/sample-batch';
import { storePerTest } from '../testing/temp-store';
import type { Store } from './store';

let store: Store;
const temp = storePerTest(() => store);
beforeEach(() => {
  store = temp().store;
});

describe('monitoring tables', () => {
  test('drift results attach to their batch', () => {
    const w = store.batches.begin(meta);
    const { id } = w.commit(summary);
    store.drift.save(id, { datasetDrift: true, driftedCount: 4 }, { features: [] });
    expect(store.batches.get(id)?.datasetDrift).toBe(true);
    expect(store.drift.get(id)).toMatchObject({ driftedCount: 4, report: { features: [] } });
  });
});
