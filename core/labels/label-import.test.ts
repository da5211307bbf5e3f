import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { completedSummary } from '../testing/batch-summary';
import { importLabels } from './label-import';

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-labels-'));
let n = 0;
function labelsFile(content: string): string {
  const path = join(dir, `labels-${++n}.csv`);
  writeFileSync(path, content);
  return path;
}

/** A committed batch of the given patients scored on the given date. */
function storeBatch(store: Store, date: string, ids: string[], scores: number[]) {
  const features = emptyFeatureColumns(ids.length);
  features.Age.fill(40);
  const table: PatientTable = {
    rowCount: ids.length,
    ids,
    lineNumbers: Uint32Array.from(ids.map((_, i) => i + 2)),
    features,
    outcome: null,
  };
  const writer = store.batches.begin({
    fileName: `batch_${date}.csv`,
    fileSha256: `${date}-${ids.join()}`,
    source: 'test',
    actor: 'test',
    modelVersion: 'v1.0.0',
    threshold: 0.4,
    riskCuts: { medium: 0.35, high: 0.6 },
    predictionDate: `${date}T08:00:00.000Z`,
  });
  writer.addPredictions({
    table,
    scores,
    categories: scores.map((s) => (s >= 0.6 ? 'High' : s >= 0.35 ? 'Medium' : 'Low')),
    recommendations: scores.map((s) => (s >= 0.4 ? 1 : 0)),
  });
  return writer.commit(completedSummary(ids.length));
}

function freshStore(): Store {
  return openStore(join(dir, `store-${++n}.db`));
}

describe('importing delayed labels', () => {
  test('matches each label to the most recent prediction on or before its date', async () => {
    const store = freshStore();
    const march = storeBatch(store, '2026-03-02', ['A', 'B'], [0.7, 0.2]);
    const april = storeBatch(store, '2026-04-06', ['A'], [0.3]);
    const report = await importLabels(
      store,
      labelsFile('patient_id,outcome,diagnosis_date\nA,1,2026-03-20\nB,0,2026-05-01\nA,0,2026-04-30\n'),
      'admin',
    );
    expect(report.status).toBe('imported');
    expect(report.matched).toBe(3);
    const matched = store.labels.listMatched();
    const byDate = Object.fromEntries(matched.map((m) => [`${m.patientId} ${m.diagnosisDate}`, m.batchId]));
    expect(byDate).toEqual({ 'A 2026-03-20': march.id, 'B 2026-05-01': march.id, 'A 2026-04-30': april.id });
  });

  test('reports unmatched labels and keeps them', async () => {
    const store = freshStore();
    storeBatch(store, '2026-03-02', ['A'], [0.7]);
    const report = await importLabels(
      store,
      labelsFile('patient_id,outcome,diagnosis_date\nA,1,2026-02-01\nZ,1,2026-03-05\n'),
      'admin',
    );
    expect(report.matched).toBe(0);
    expect(report.unmatched.map((u) => [u.line, u.patientId])).toEqual([
      [2, 'A'],
      [3, 'Z'],
    ]);
    expect(report.unmatched[0].reason).toMatch(/on or before 2026-02-01/);
    expect(store.labels.count()).toBe(2);
  });

  test('importing the same labels again changes nothing', async () => {
    const store = freshStore();
    storeBatch(store, '2026-03-02', ['A', 'B'], [0.7, 0.2]);
    const content = 'patient_id,outcome,diagnosis_date\nA,1,2026-03-20\nB,0,2026-03-21\n';
    const first = await importLabels(store, labelsFile(content), 'admin');
    const labelsBefore = store.labels.list();
    const second = await importLabels(store, labelsFile(content), 'admin');
    expect(first.inserted).toBe(2);
    expect(second.inserted).toBe(0);
    expect(second.unchanged).toBe(2);
    expect(store.labels.list()).toEqual(labelsBefore);
  });

  test('conflicting labels are reported, not stored', async () => {
    const store = freshStore();
    storeBatch(store, '2026-03-02', ['A', 'B'], [0.7, 0.2]);
    await importLabels(store, labelsFile('patient_id,outcome,diagnosis_date\nA,1,2026-03-20\n'), 'admin');
    const report = await importLabels(
      store,
      labelsFile('patient_id,outcome,diagnosis_date\nA,0,2026-03-20\nB,1,2026-03-21\nB,0,2026-03-21\n'),
      'admin',
    );
    expect(report.conflicts.map((c) => [c.patientId, c.storedOutcome, c.newOutcome])).toEqual([
      ['B', 1, 0],
      ['A', 1, 0],
    ]);
    expect(report.matched).toBe(0);
    expect(store.labels.list().map((l) => [l.patientId, l.outcome])).toEqual([['A', 1]]);
  });

  test('bad rows are rejected with line, column and value; the rest import', async () => {
    const store = freshStore();
    storeBatch(store, '2026-03-02', ['A'], [0.7]);
    const report = await importLabels(
      store,
      labelsFile('Patient ID;Outcome;Diagnosis Date\nA;1;2026-03-20\nB;yes;2026-03-20\nC;1;2026-02-30\n;1;\n'),
      'admin',
    );
    expect(report.rejected.map((r) => [r.line, r.column, r.value])).toEqual([
      [3, 'outcome', 'yes'],
      [4, 'diagnosis_date', '2026-02-30'],
      [5, 'patient_id', ''],
    ]);
    expect(report.matched).toBe(1);
  });

  test('a file without the outcome column is refused whole, and audited', async () => {
    const store = freshStore();
    const report = await importLabels(store, labelsFile('patient_id,diagnosis\nA,1\n'), 'admin');
    expect(report.status).toBe('rejected');
    expect(report.message).toMatch(/missing the required column\(s\) outcome/);
    expect(store.audit.list().at(-1)).toMatchObject({ action: 'labels.rejected', actor: 'admin' });
  });

  test('every import is one audit event with its counts', async () => {
    const store = freshStore();
    storeBatch(store, '2026-03-02', ['A'], [0.7]);
    await importLabels(store, labelsFile('patient_id,outcome\nA,1\n'), 'nurse.admin');
    const event = store.audit.list().at(-1);
    expect(event).toMatchObject({ action: 'labels.imported', actor: 'nurse.admin' });
    expect(event?.details).toMatchObject({ matched: 1, inserted: 1 });
    expect(store.audit.verify().ok).toBe(true);
  });
});
