import { beforeEach, describe, expect, test } from 'vitest';
import { storePerTest } from '../testing/temp-store';
import type { Store } from './store';

let store: Store;
const temp = storePerTest(() => store);
beforeEach(() => {
  store = temp().store;
});

describe('monitoring tables', () => {
  test('alerts are stored once per identity and acknowledged once', () => {
    const a = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    const b = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    expect([a.created, b.created]).toEqual([true, false]);
    expect(store.alerts.acknowledge(a.alert.id, 'admin')).toBe(true);
    expect(store.alerts.acknowledge(a.alert.id, 'admin')).toBe(false);
    expect(store.alerts.list({ unacknowledgedOnly: true })).toEqual([]);
  });
});

describe('open alerts', () => {
  test('listOpen gives the alerts nobody has acknowledged, newest first, and drops one once acknowledged', () => {
    expect(store.alerts.listOpen()).toEqual([]);
    const recall = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    const drift = store.alerts.raise({ kind: 'drift', modelVersion: 'v1.0.0', message: 'inputs moved' });
    const precision = store.alerts.raise({ kind: 'precision', week: '2026-W48', message: 'low' });

    expect(store.alerts.listOpen().map((a) => a.id)).toEqual([precision.alert.id, drift.alert.id, recall.alert.id]);

    expect(store.alerts.acknowledge(drift.alert.id, 'admin')).toBe(true);
    const open = store.alerts.listOpen();
    expect(open.map((a) => a.kind)).toEqual(['precision', 'recall']);
    expect(open.every((a) => a.acknowledgedAt === null && a.acknowledgedBy === null)).toBe(true);
    // Every alert is still listed; only the open ones are in listOpen.
    expect(store.alerts.list()).toHaveLength(3);
  });

  test('raising an acknowledged alert again does not reopen it', () => {
    const first = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    store.alerts.acknowledge(first.alert.id, 'admin');
    const again = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    expect(again.created).toBe(false);
    expect(store.alerts.listOpen()).toEqual([]);
  });
});
