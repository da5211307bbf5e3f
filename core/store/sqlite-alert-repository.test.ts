import { describe, expect, test } from 'vitest';
import { storeHolderPerTest } from '../testing/temp-store';

const db = storeHolderPerTest();

describe('monitoring tables', () => {
  test('alerts are stored once per identity and acknowledged once', () => {
    const a = db.store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    const b = db.store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    expect([a.created, b.created]).toEqual([true, false]);
    expect(db.store.alerts.acknowledge(a.alert.id, 'admin')).toBe(true);
    expect(db.store.alerts.acknowledge(a.alert.id, 'admin')).toBe(false);
    expect(db.store.alerts.listOpen()).toEqual([]);
  });
});

describe('open alerts', () => {
  test('listOpen gives the alerts nobody has acknowledged, newest first, and drops one once acknowledged', () => {
    expect(db.store.alerts.listOpen()).toEqual([]);
    const recall = db.store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    const drift = db.store.alerts.raise({ kind: 'drift', modelVersion: 'v1.0.0', message: 'inputs moved' });
    const precision = db.store.alerts.raise({ kind: 'precision', week: '2026-W48', message: 'low' });

    expect(db.store.alerts.listOpen().map((a) => a.id)).toEqual([precision.alert.id, drift.alert.id, recall.alert.id]);

    expect(db.store.alerts.acknowledge(drift.alert.id, 'admin')).toBe(true);
    const open = db.store.alerts.listOpen();
    expect(open.map((a) => a.kind)).toEqual(['precision', 'recall']);
    expect(open.every((a) => a.acknowledgedAt === null && a.acknowledgedBy === null)).toBe(true);
    // Every alert is still listed; only the open ones are in listOpen.
    expect(db.store.alerts.list()).toHaveLength(3);
  });

  test('raising an acknowledged alert again does not reopen it', () => {
    const first = db.store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    db.store.alerts.acknowledge(first.alert.id, 'admin');
    const again = db.store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    expect(again.created).toBe(false);
    expect(db.store.alerts.listOpen()).toEqual([]);
  });
});
