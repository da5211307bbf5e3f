import { describe, expect, test } from 'vitest';
import { SAMPLE_BATCH_META, SAMPLE_BATCH_SUMMARY, sampleChunk } from '../testing/sample-batch';
import { storeHolderPerTest } from '../testing/temp-store';
import type { Store } from './store';

const db = storeHolderPerTest('follow-up-store-');

/** A completed batch of patients P0..P(n-1) (sampleChunk: score (r % 100) / 100, recommended from 0.3). */
function batch(store: Store, n: number, predictionDate: string, sha: string, start = 0): number {
  const writer = store.batches.begin({ ...SAMPLE_BATCH_META, fileSha256: sha.padStart(64, '0'), predictionDate });
  writer.addPredictions(sampleChunk(start, n));
  return writer.commit({ ...SAMPLE_BATCH_SUMMARY, rowsRead: n, rowsRejected: 0 }).id;
}

describe('follow-up store', () => {
  test('the previous screening is the newest before this batch, by prediction date and then batch id', () => {
    const { store } = db;
    const a = batch(store, 50, '2026-11-02T08:00:00.000Z', '1');
    const b = batch(store, 50, '2026-11-09T08:00:00.000Z', '2');
    // Same date as b, imported later: b comes before it, and it before nothing.
    const c = batch(store, 50, '2026-11-09T08:00:00.000Z', '3');
    expect(store.followUps.previousScreening('P40', a)).toBeNull();
    expect(store.followUps.previousScreening('P40', b)?.batchId).toBe(a);
    expect(store.followUps.previousScreening('P40', c)?.batchId).toBe(b);
    expect(store.followUps.previousScreening('P99', c)).toBeNull();
    expect(store.followUps.screeningsOf('P40').map((s) => s.batchId)).toEqual([a, b, c]);
    expect(store.followUps.screeningsOf('P40')[0]).toMatchObject({ score: 0.4, category: 'Medium', recommendation: 1 });
  });

  test('status is the newest event; lists leave closed follow-ups out unless asked, and count past the limit', () => {
    const { store } = db;
    const id = batch(store, 40, '2026-11-02T08:00:00.000Z', '4');
    for (const p of ['P31', 'P32', 'P33'])
      store.followUps.assign({ patientId: p, assignee: 'Nurse', assignedBy: 'admin' });
    const step = (patientId: string, status: 'contacted' | 'declined') =>
      store.followUps.addEvent({
        patientId,
        batchId: id,
        rowIndex: Number(patientId.slice(1)),
        status,
        note: '',
        correction: false,
        actor: 'nurse',
      });
    step('P31', 'contacted');
    step('P31', 'declined');
    step('P32', 'contacted');
    expect(store.followUps.statusOf('P31')).toBe('declined');
    expect(store.followUps.statusOf('P33')).toBe('to-review');
    // Assignees match ignoring case, as user names do.
    const mine = store.followUps.list({ assignee: 'nurse', limit: 1 });
    expect(mine.total).toBe(2);
    expect(mine.entries.map((e) => e.patientId)).toEqual(['P32']);
    expect(store.followUps.list({ assignee: 'NURSE', includeClosed: true, limit: 10 }).total).toBe(3);
    // Recommended (score >= 0.3): P30..P39 of this batch; P31 is closed.
    const overdue = store.followUps.list({ recommendedBefore: '2026-11-03T00:00:00.000Z', limit: 100 });
    expect(overdue.entries.map((e) => e.patientId)).toEqual([
      'P30',
      'P32',
      'P33',
      'P34',
      'P35',
      'P36',
      'P37',
      'P38',
      'P39',
    ]);
    expect(store.followUps.list({ recommendedBefore: '2026-11-01T00:00:00.000Z', limit: 100 }).total).toBe(0);
  });
});
