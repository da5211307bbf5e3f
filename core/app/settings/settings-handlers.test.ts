import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SettingsValues } from '../../api/settings-methods';
import { defaultConfig } from '../../config/app-config';
import type { ClientSession } from '../client-session';
import { contractCaller, value } from '../test-support/app-calls';
import { categorizeRiskForTest } from '../test-support/categorize';
import { batchImporter, syntheticBatchTexts } from '../test-support/synthetic-imports';
import { createTestApp, type TestApp } from '../test-support/test-app';

let app: TestApp;
let dir: string;
let admin: ClientSession;
let batches: string[] = [];
let firstBatchId = 0;
const call = contractCaller(() => app);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-settings-'));
  const config = defaultConfig();
  config.session.autoLockMinutes = 30;
  config.risk.borderlineBand = 0.07;
  // No test override of the lock: the stored setting decides.
  app = await createTestApp(join(dir, 'data'), { config, autoLockMinutes: null });
  batches = await syntheticBatchTexts(dir, [1, 2, 3], 300);
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const current = async () => value(await call(admin, 'getSettings', {}));
const save = async (edit: (v: SettingsValues) => void) => {
  const stored = await current();
  const values = structuredClone(stored.values);
  edit(values);
  return call(admin, 'updateSettings', { values, expectedVersion: stored.version });
};
const importBatch = batchImporter(
  () => app,
  () => admin,
  () => batches,
);

describe('settings stored in the database', () => {
  test('first run seeds them from the config file, as version 1', async () => {
    const stored = await current();
    expect(stored.version).toBe(1);
    expect(stored.updatedBy).toBe('config-file');
    expect(stored.values.session.autoLockMinutes).toBe(30);
    expect(stored.values.risk.borderlineBand).toBe(0.07);
    expect(stored.values.backup.keep).toBe(defaultConfig().backup.keep);
  });

  test('a wrong value is refused naming its key, and nothing is saved or audited', async () => {
    const before = app.store.audit.count();
    const refused = await save((v) => {
      v.risk.cuts = { medium: 0.3, high: 1.5 };
      v.session.autoLockMinutes = -2;
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('invalid-argument');
    expect(refused.error.problems?.map((p) => p.path).sort()).toEqual(['risk.cuts.high', 'session.autoLockMinutes']);
    expect(refused.error.message).toContain('risk.cuts.high');
    const unknown = await save((v) => {
      (v.monitoring as Record<string, unknown>).recalAlertBelow = 0.5;
    });
    expect(unknown.ok ? [] : unknown.error.problems?.map((p) => p.path)).toEqual(['monitoring.recalAlertBelow']);
    expect((await current()).version).toBe(1);
    expect(app.store.audit.count()).toBe(before);
  });

  test('a change is audited with only the changed keys, before and after', async () => {
    const saved = value(
      await save((v) => {
        v.monitoring.recallAlertBelow = 0.9;
        v.drift.importance.topN = 5;
      }),
    );
    expect(saved.settings.version).toBe(2);
    expect(saved.changes).toEqual([
      { key: 'drift.importance.topN', before: 3, after: 5 },
      { key: 'monitoring.recallAlertBelow', before: 0.8, after: 0.9 },
    ]);
    const event = app.store.audit.list({ action: 'settings.updated' }).at(-1);
    expect(event).toMatchObject({ actor: 'admin', details: { version: 2, changes: saved.changes } });
    expect(app.store.audit.verify().ok).toBe(true);
    // The monitoring view reads the saved alert line.
    expect(value(await call(admin, 'monitoringSummary', {})).alertRecall).toBe(0.9);
  });

  test('an update made from an old version is refused as a conflict', async () => {
    const stale = await call(admin, 'updateSettings', {
      values: (await current()).values,
      expectedVersion: 1,
    });
    expect(stale.ok ? 'ok' : stale.error.code).toBe('conflict');
  });

  test('new risk cuts categorise the next import, with no restart', async () => {
    const first = await importBatch(0);
    firstBatchId = Number(first.batchId);
    expect(app.store.batches.get(Number(first.batchId))?.riskCuts).not.toEqual({ medium: 0.1, high: 0.2 });
    value(
      await save((v) => {
        v.risk.cuts = { medium: 0.1, high: 0.2 };
      }),
    );
    const next = await importBatch(1);
    const record = app.store.batches.get(Number(next.batchId));
    expect(record?.riskCuts).toEqual({ medium: 0.1, high: 0.2 });
    const page = value(await call(admin, 'worklistPage', { batchId: next.batchId, offset: 0, limit: 1000 }));
    const threshold = record?.threshold ?? Number.NaN;
    for (const row of page.rows) {
      expect(row.category).toBe(categorizeRiskForTest(row.score, threshold, { medium: 0.1, high: 0.2 }));
    }
    expect(page.rows.filter((r) => r.category === 'High').length).toBeGreaterThan(first.counts.High ?? 0);
  });

  test('new drift thresholds are used by the next batch', async () => {
    // A method that cannot test the categorical feature would stop every import: refused, naming the key.
    const numericOnly = await save((v) => {
      v.drift.method = 'wasserstein';
    });
    expect(numericOnly.ok ? [] : numericOnly.error.problems?.map((p) => p.path)).toEqual(['drift.method']);
    value(
      await save((v) => {
        // Every distance is at least 0: every feature drifts, and one drifted feature is dataset drift.
        v.drift.method = 'jensenshannon';
        v.drift.threshold = 0;
        v.drift.rule = 'count';
        v.drift.countThreshold = 1;
      }),
    );
    const next = await importBatch(2);
    const drift = app.store.drift.get(Number(next.batchId));
    expect(drift?.datasetDrift).toBe(true);
    if (!drift) throw new Error('no drift record for the batch');
    const tested = (drift.report as { features: unknown[] }).features.length;
    expect(tested).toBeGreaterThan(8);
    expect(drift.driftedCount).toBe(tested);
    // Under the default tests, the batch before did not have every feature drifting.
    expect(app.store.drift.get(firstBatchId)?.driftedCount).toBeLessThan(tested);
  });

  test('a new overdue time is what the follow-up lists use next', async () => {
    expect(value(await call(admin, 'followUpCounts', {})).overdueDays).toBe(30);
    value(
      await save((v) => {
        v.followUp.overdueDays = 5;
      }),
    );
    expect(value(await call(admin, 'followUpCounts', {})).overdueDays).toBe(5);
  });

  test('a new auto-lock time applies to a session already open', async () => {
    app.advanceClock(20 * 60_000);
    expect(value(await call(admin, 'getSettings', {})).values.session.autoLockMinutes).toBe(30);
    value(
      await save((v) => {
        v.session.autoLockMinutes = 5;
      }),
    );
    expect(admin.info()?.autoLockMinutes).toBe(5);
    app.advanceClock(6 * 60_000);
    const idle = await call(admin, 'getSettings', {});
    expect(idle.ok ? 'ok' : idle.error.code).toBe('locked');
  });
});
