import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openStore } from './sqlite-store';
import type { Store } from './store';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'alert-repository-'));
  store = openStore(join(dir, 'glucoscreen.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

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
