import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_VIEW_METHODS } from '../../api/screening-api';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { bumpVersion } from '../../registry/semver';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../../schema/columns';
import { writeSyntheticBatch } from '../../screening/synthetic-batch';
import { pimaPath } from '../../testing/pima';
import type { ClientSession } from '../client-session';
import { appCaller, contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp, writeTestBundle } from '../test-support/test-app';

let app: TestApp;
let dir: string;
let plainCsv: string;
let driftedCsv: string;

const call = appCaller(() => app);
const typedCall = contractCaller(() => app);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-admin-'));
  app = await createTestApp(join(dir, 'data'));
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  writeSyntheticBatch(join(dir, 'plain.csv'), pima.table, { rows: 300, seed: 5, idPrefix: 'A' });
  writeSyntheticBatch(join(dir, 'drifted.csv'), pima.table, {
    rows: 300,
    seed: 6,
    idPrefix: 'D',
    shift: { Glucose: 15, BMI: 3, Age: 10 },
  });
  plainCsv = readFileSync(join(dir, 'plain.csv'), 'utf8');
  driftedCsv = readFileSync(join(dir, 'drifted.csv'), 'utf8');
});

afterAll(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin views on the real store, registry and model', () => {
  let admin: ClientSession;
  let clinician: ClientSession;
  let plainBatch = '';
  let driftedBatch = '';

  test('setup: an admin and a clinician; two batches imported, one of them shifted', async () => {
    admin = app.newSession();
    value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
    value(await call(admin, 'createUser', { username: 'nurse', password: 'battery staple 2', role: 'clinician' }));
    clinician = app.newSession();
    value(await call(clinician, 'signIn', { username: 'nurse', password: 'battery staple 2' }));
    const imp = (fileName: string, content: string) =>
      typedCall(clinician, 'importBatch', { operationId: fileName.replace('.', '_'), fileName, content });
    const plain = value(await imp('plain.csv', plainCsv));
    plainBatch = plain.batch.batchId;
    const drifted = value(await imp('drifted.csv', driftedCsv));
    driftedBatch = drifted.batch.batchId;
    // The import itself raised the drift alerts: no one has opened Monitoring yet.
    expect(plain.alertsRaised).toBe(0);
    expect(drifted.alertsRaised).toBeGreaterThan(0);
    expect(drifted.batch.drift.verdict).toBe('drift');
    const open = value(await typedCall(admin, 'listOpenAlerts', {}));
    expect(open.filter((a) => a.batchId === Number(driftedBatch)).map((a) => a.kind)).toContain('dataset-drift');
    expect(open.filter((a) => a.batchId === Number(plainBatch))).toEqual([]);
  });

  test('every admin method is refused to a clinician by the app itself, and each refusal is audited', async () => {
    const args: Record<string, unknown> = {
      edaReport: { source: 'training' },
      driftReport: { batchId: driftedBatch },
      driftHistory: {},
      importLabels: { fileName: 'labels.csv', content: 'patient_id,outcome\nA001,1\n' },
      monitoringSummary: {},
      acknowledgeAlert: { alertId: 1 },
      listModels: {},
      modelImportance: { modelId: 'production' },
      promoteModel: { modelId: 'production_backup', confirmed: true },
      rollbackModel: { confirmed: true },
      promotionGates: { modelId: 'production' },
      approvePromotion: { requestId: 1, confirmed: true },
      rejectPromotion: { requestId: 1 },
      archiveModel: { modelId: 'experiments/model_20260102_000000', confirmed: true },
      exportModel: { modelId: 'production' },
      importModel: { fileName: 'model.json', content: '{}' },
      listTrainingRuns: {},
      listOpenAlerts: {},
      systemHealth: {},
      governanceReport: {},
      shadowStatus: {},
      setShadow: { modelId: 'production_backup', confirmed: true },
      clearShadow: { confirmed: true },
      retrainPreview: {},
      startRetrain: { operationId: 'op', confirmed: true },
      cancelRetrain: { operationId: 'op' },
      retrainStatus: {},
      getSettings: {},
      updateSettings: { values: {}, expectedVersion: 1 },
      listBackups: {},
      backupDatabase: {},
      restoreDatabase: { file: 'glucoscreen-2000-01-01T00-00-00-000Z.db', confirm: 'RESTORE' },
      createApiClient: { name: 'x' },
      listApiClients: {},
      revokeApiClient: { name: 'x' },
      retentionPreview: {},
      purgePatientRows: { cutoff: '2000-01-03', confirm: 'PURGE' },
    };
    for (const method of ADMIN_VIEW_METHODS) {
      expect(await call(clinician, method, args[method]), method).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    const denied = value(await typedCall(admin, 'auditLog', { action: 'access.denied', limit: 100 }));
    expect(denied.events.map((e) => e.subject).sort()).toEqual([...ADMIN_VIEW_METHODS].sort());
  });

  test('drift: the shifted batch drifts on Glucose, BMI and Age, the plain one on none of them', async () => {
    const drifted = value(await typedCall(admin, 'driftReport', { batchId: driftedBatch }));
    expect(drifted.report.datasetDrift.drifted).toBe(true);
    expect(drifted.report.driftedFeatures).toEqual(expect.arrayContaining(['Glucose', 'BMI', 'Age']));
    // Drifted first, as the table shows them.
    const flags = drifted.report.features.map((f) => f.drifted);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
    const plain = value(await typedCall(admin, 'driftReport', { batchId: plainBatch }));
    expect(plain.report.driftedFeatures).not.toContain('Glucose');
    const history = value(await typedCall(admin, 'driftHistory', {}));
    expect(history.map((h) => [h.batchId, h.datasetDrift])).toEqual([
      [plainBatch, plain.report.datasetDrift.drifted],
      [driftedBatch, true],
    ]);
    expect(await call(admin, 'driftReport', { batchId: '999' })).toMatchObject({ error: { code: 'not-found' } });
  });

  test('labels: the import reports matched and unmatched rows, and the week counts the labelled predictions', async () => {
    const rows = Papa.parse<Record<string, string>>(plainCsv.trim(), { header: true }).data.slice(0, 60);
    // Outcome by a rule independent of the model: fasting glucose >= 140.
    const labels = rows.map((r) => [r.patient_id, Number(r.Glucose) >= 140 ? 1 : 0] as const);
    const content = `patient_id,outcome\n${labels.map((l) => l.join(',')).join('\n')}\nNOBODY-1,1\n`;
    const result = value(await typedCall(admin, 'importLabels', { fileName: 'labels.csv', content }));
    expect(result.report).toMatchObject({ status: 'imported', matched: 60, inserted: 61 });
    expect(result.report.unmatched.map((u) => u.patientId)).toEqual(['NOBODY-1']);

    // Expected confusion counts from the worklist's own recommendations.
    const page = value(await typedCall(admin, 'worklistPage', { batchId: plainBatch, offset: 0, limit: 1000 }));
    const recommended = new Map(page.rows.map((r) => [r.patientId, r.recommended]));
    let tp = 0;
    let fn = 0;
    for (const [id, outcome] of labels) {
      if (outcome === 1 && recommended.get(id)) tp++;
      else if (outcome === 1) fn++;
    }
    const summary = result.monitoring;
    expect(summary.weeks).toHaveLength(1);
    expect(summary.weeks[0]).toMatchObject({ n: 60, tp, fn });
    expect(summary.labelCount).toBe(61);
    expect(summary.alertRecall).toBe(0.8);
  });

  test('alerts: the drifted batch raised one; acknowledging it is audited and cannot be repeated', async () => {
    const summary = value(await typedCall(admin, 'monitoringSummary', {}));
    const alert = summary.alerts.find((a) => a.kind === 'dataset-drift' && a.batchId === Number(driftedBatch));
    expect(alert).toBeDefined();
    const id = alert?.id as number;
    const acked = value(await call<{ acknowledgedBy: string }>(admin, 'acknowledgeAlert', { alertId: id }));
    expect(acked.acknowledgedBy).toBe('admin');
    expect(await call(admin, 'acknowledgeAlert', { alertId: id })).toMatchObject({ error: { code: 'conflict' } });
    const audit = value(await typedCall(admin, 'auditLog', { action: 'alert.acknowledged' }));
    expect(audit.events.map((e) => e.subject)).toEqual([String(id)]);
  });

  test('open alerts: every raised alert but the acknowledged one, as stored', async () => {
    const all = value(await typedCall(admin, 'monitoringSummary', {})).alerts;
    const acknowledged = all.filter((a) => a.acknowledgedAt !== null).map((a) => a.id);
    expect(acknowledged).toHaveLength(1);
    const open = value(await typedCall(admin, 'listOpenAlerts', {}));
    expect(open.map((a) => a.id).sort()).toEqual(
      all
        .map((a) => a.id)
        .filter((id) => !acknowledged.includes(id))
        .sort(),
    );
    expect(open.every((a) => a.acknowledgedAt === null && a.acknowledgedBy === null)).toBe(true);
    expect(await call(clinician, 'listOpenAlerts', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('models: promote needs a confirmation; a candidate is promoted, then rolled back, each audited', async () => {
    const before = value(await typedCall(admin, 'listModels', {}));
    // The committed production bundle when there is one, else the bundle the test app trained (v0.0.1).
    const production = before.productionVersion as string;
    expect(production).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(before.versions[0]).toMatchObject({ location: 'production', version: production });
    expect(before.versions[0].modelCard).toContain(production);
    const candidate = bumpVersion(production, 'patch');
    await writeTestBundle(join(app.dataDir, 'models/experiments/model_20260102_000000'), {
      version: candidate,
      threshold: 0.35,
      calibration: { slope: 1, intercept: -0.2 },
    });
    expect(await call(admin, 'promoteModel', { modelId: 'experiments/model_20260102_000000' })).toMatchObject({
      error: { code: 'invalid-argument' },
    });
    expect(await call(admin, 'promoteModel', { modelId: '../etc', confirmed: true })).toMatchObject({
      error: { code: 'invalid-argument' },
    });
    const promoted = value(
      await typedCall(admin, 'promoteModel', { modelId: 'experiments/model_20260102_000000', confirmed: true }),
    );
    expect([promoted.productionVersion, promoted.backupVersion]).toEqual([candidate, production]);
    // The app scores with the new production model at once (no restart).
    const status = value(await call<{ model: { version: string; threshold: number } }>(admin, 'firstRunStatus', {}));
    expect(status.model).toMatchObject({ version: candidate, threshold: 0.35 });

    const rolledBack = value(await typedCall(admin, 'rollbackModel', { confirmed: true }));
    expect([rolledBack.productionVersion, rolledBack.backupVersion]).toEqual([production, candidate]);
    const after = value(await call<{ model: { version: string } }>(admin, 'firstRunStatus', {}));
    expect(after.model.version).toBe(production);

    const audit = value(await typedCall(admin, 'auditLog', { actor: 'admin' }));
    const actions = audit.events.map((e) => `${e.action} ${e.subject}`);
    expect(actions).toEqual(expect.arrayContaining([`model.promoted ${candidate}`, `model.rolled-back ${production}`]));
    expect(audit.verification.ok).toBe(true);
  });

  test('EDA of the training data has outcomes; of a loaded batch CSV the same sections without them', async () => {
    const training = value(await typedCall(admin, 'edaReport', { source: 'training' }));
    expect(training.report.rowCount).toBe(768);
    expect(training.report.hasOutcome).toBe(true);
    const file = value(await typedCall(admin, 'edaReport', { source: 'file', fileName: 'p.csv', content: plainCsv }));
    expect(file).toMatchObject({ source: 'file', name: 'p.csv', report: { rowCount: 300, hasOutcome: false } });
    expect(file.report.featureVsOutcome.features).toBeNull();
    expect(file.report.correlation.columns).toHaveLength(8);
  });

  test('global importance of a version: mean |SHAP| over the 768 training rows, Glucose among the top three', async () => {
    const importance = value(await typedCall(admin, 'modelImportance', { modelId: 'production' }));
    expect(importance.rows).toBe(768);
    expect(importance.model.map((f) => f.feature).sort()).toEqual([...MODEL_FEATURES].sort());
    expect(importance.clinical.map((f) => f.feature).sort()).toEqual([...FEATURE_COLUMNS].sort());
    const values = importance.clinical.map((f) => f.meanAbsShap);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(importance.clinical.findIndex((f) => f.feature === 'Glucose')).toBeLessThan(3);
    expect(await call(admin, 'modelImportance', { modelId: 'experiments/none' })).toMatchObject({
      error: { code: 'not-found' },
    });
  });

  test('system health lists each batch with its timing and rejected rows', async () => {
    const health = value(await typedCall(admin, 'systemHealth', {}));
    const files = health.filter((h) => h.source === 'app').map((h) => h.fileName);
    expect(files).toEqual(['drifted.csv', 'plain.csv']);
    for (const h of health.filter((x) => x.source === 'app')) {
      expect(h.rows).toBe(300);
      expect(h.durationMs).toBeGreaterThan(0);
    }
  });

  test("governance report: the period's batches, drift verdicts and alerts as one printable page, audited", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = value(await typedCall(admin, 'governanceReport', { from: '2020-01-01', to: today }));
    expect(report.mimeType).toBe('text/html');
    expect(report.fileName).toBe(`glucoscreen_report_2020-01-01_${today}.html`);
    const html = report.content;
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<svg/);
    // Every imported batch is a row, the shifted one marked as drifted; no patient id appears.
    expect(html).toContain('plain.csv');
    expect(html).toContain('drifted.csv');
    expect(html).toMatch(
      new RegExp(`<tr><td>${driftedBatch}</td><td>drifted.csv</td>[\\s\\S]*?<span class="bad">drift</span>`),
    );
    const ids = [plainCsv, driftedCsv].flatMap((csv) =>
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    );
    expect(ids.length).toBe(600);
    expect(ids.filter((id) => html.includes(id))).toEqual([]);
    const audit = value(await typedCall(admin, 'auditLog', { action: 'report.generated', limit: 10 }));
    expect(audit.events[0].details).toMatchObject({ from: '2020-01-01', to: today, batches: 2 });

    // A period before any batch holds none of them; a reversed period is refused by the contract.
    const empty = value(await typedCall(admin, 'governanceReport', { from: '2020-01-01', to: '2020-01-31' }));
    expect(empty.content).toContain('No batch in this period.');
    const reversed = await call(admin, 'governanceReport', { from: '2026-02-01', to: '2026-01-01' });
    expect(reversed).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });
});
