import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImportProgress, WorklistRow } from '../api/outputs';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { pimaPath } from '../testing/pima';
import type { ClientSession } from './client-session';
import { appCaller, value } from './test-support/app-calls';
import { categorizeRiskForTest } from './test-support/categorize';
import { createTestApp, type TestApp } from './test-support/test-app';

let app: TestApp;
let dir: string;
let batchCsv: string;
const events: ImportProgress[] = [];

const call = appCaller(
  () => app,
  (event, payload) => {
    if (event === 'importProgress') events.push(payload as ImportProgress);
  },
);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-app-'));
  app = await createTestApp(join(dir, 'data'));
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  const path = join(dir, 'daily_batch.csv');
  writeSyntheticBatch(path, pima.table, { rows: 400, seed: 11 });
  batchCsv = readFileSync(path, 'utf8');
});

afterAll(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the app on the real store and model', () => {
  const admin = () => adminSession;
  let adminSession: ClientSession;
  let clinician: ClientSession;
  let batchId = '';

  test('first run creates the admin, who creates a clinician; the clinician signs in', async () => {
    adminSession = app.newSession();
    expect(value(await call<{ needsAdmin: boolean }>(adminSession, 'firstRunStatus', {})).needsAdmin).toBe(true);
    const created = value(await call(adminSession, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
    expect(created).toMatchObject({ username: 'admin', role: 'admin', locked: false });
    expect(value(await call<{ needsAdmin: boolean }>(adminSession, 'firstRunStatus', {})).needsAdmin).toBe(false);
    const again = await call(app.newSession(), 'createAdmin', { username: 'eve', password: 'x'.repeat(12) });
    expect(again.ok ? 'ok' : again.error.code).toBe('conflict');
    value(await call(admin(), 'createUser', { username: 'nurse', password: 'nurse password', role: 'clinician' }));
    clinician = app.newSession();
    const bad = await call(clinician, 'signIn', { username: 'nurse', password: 'wrong password' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('bad-credentials');
    // After a failure the next sign-in of that name waits a second.
    app.advanceClock(1000);
    expect(value(await call(clinician, 'signIn', { username: 'nurse', password: 'nurse password' }))).toMatchObject({
      role: 'clinician',
    });
    const actions = app.store.audit.list().map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'auth.signed-in', 'auth.sign-in-failed']));
  });

  test('a clinician is refused admin methods by the app itself, and the refusal is audited', async () => {
    const refused = await call(clinician, 'createUser', {
      username: 'mallory',
      password: 'x'.repeat(12),
      role: 'admin',
    });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
    expect(app.store.users.get('mallory')).toBeNull();
    const denied = app.store.audit.list({ action: 'access.denied' });
    expect(denied.at(-1)).toMatchObject({ actor: 'nurse', subject: 'createUser' });
  });

  test('calls without a session or with a malformed argument are refused before any handler runs', async () => {
    const anonymous = await call(app.newSession(), 'listBatches', {});
    expect(anonymous.ok ? 'ok' : anonymous.error.code).toBe('unauthenticated');
    const malformed = await call(clinician, 'listBatches', { limit: 5, drop: 'table' });
    expect(malformed.ok ? 'ok' : malformed.error.code).toBe('invalid-argument');
    const unknown = await call(clinician, 'deleteEverything', {});
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('invalid-argument');
  });

  test('importing a daily CSV stores every valid row, streams progress, and the worklist puts High first', async () => {
    const result = value(
      await call<{
        batch: { batchId: string; acceptedRows: number; counts: Record<string, number>; drift: { verdict: string } };
      }>(clinician, 'importBatch', { operationId: 'op-1', fileName: 'daily_batch.csv', content: batchCsv }),
    );
    batchId = result.batch.batchId;
    expect(result.batch.acceptedRows).toBe(400);
    // Drift ran against the bundle's reference and its verdict is stored with the batch.
    expect(['drift', 'no-drift']).toContain(result.batch.drift.verdict);
    expect(app.store.drift.get(Number(result.batch.batchId))).not.toBeNull();
    expect(events.some((e) => e.operationId === 'op-1' && e.phase === 'scoring')).toBe(true);
    expect(events.at(-1)).toMatchObject({ operationId: 'op-1', phase: 'done' });

    const page = value(
      await call<{ total: number; matching: number; rows: WorklistRow[] }>(clinician, 'worklistPage', {
        batchId,
        offset: 0,
        limit: 400,
      }),
    );
    expect(page.total).toBe(400);
    // Independent check: the categories follow from the stored scores and the model's threshold and cuts.
    const model = await app.models.provider.production();
    if (!model.ok) throw new Error(model.problem);
    const { threshold, riskCuts } = model.model.info;
    for (const row of page.rows) expect(row.category).toBe(categorizeRiskForTest(row.score, threshold, riskCuts));
    const rank = { High: 2, Medium: 1, Low: 0 } as const;
    for (let k = 1; k < page.rows.length; k++) {
      const a = page.rows[k - 1];
      const b = page.rows[k];
      expect(rank[a.category] > rank[b.category] || (a.category === b.category && a.score >= b.score)).toBe(true);
    }
    expect(page.rows.filter((r) => r.category === 'High').length).toBe(result.batch.counts.High);
  });

  test('patient detail marks imputed zeros and gives factors; reviews are stored and audited', async () => {
    const rows = Papa.parse<string[]>(batchCsv.trim()).data;
    const withZeroGlucose = rows.slice(1).find((r) => r[2] === '0');
    const target = rows.slice(1).find((r) => r[2] !== '0' && Number(r[2]) >= 140 && Number(r[2]) < 200) as string[];
    const detail = value(
      await call<{
        inputs: { feature: string; imputed: boolean; value: number | null; flag: { level: string } | null }[];
        factors: unknown[] | null;
        waterfall: {
          expectedValue: number;
          margin: number;
          steps: { contribution: number; start: number; end: number }[];
        };
        score: number;
        patientId: string;
      }>(clinician, 'patientDetail', { batchId, patientId: target[0] }),
    );
    expect(detail.patientId).toBe(target[0]);
    expect(detail.inputs.find((i) => i.feature === 'Glucose')).toMatchObject({
      value: Number(target[2]),
      imputed: false,
      // 140-199 mg/dL on the 2-hour OGTT the column holds: impaired glucose tolerance.
      flag: { level: 'elevated' },
    });
    // Every clinical input once, each as a sentence that says the direction in words.
    const factors = (detail.factors ?? []) as { feature: string; text: string; direction: string }[];
    expect(factors.map((f) => f.feature).sort()).toEqual([...FEATURE_COLUMNS].sort());
    for (const factor of factors) {
      expect(factor.text).toMatch(
        factor.direction === 'neutral' ? /has little effect on the risk$/ : /(raises|lowers) the risk$/,
      );
    }
    // The waterfall adds up: expected value + every step = the raw margin, and the calibrated margin is the score.
    const w = detail.waterfall;
    const sum = w.steps.reduce((a, step) => a + step.contribution, w.expectedValue);
    expect(sum).toBeCloseTo(w.margin, 9);
    for (let k = 1; k < w.steps.length; k++) expect(w.steps[k].start).toBeCloseTo(w.steps[k - 1].end, 12);
    const { calibration } = JSON.parse(readFileSync(join(app.dataDir, 'models/production/metadata.json'), 'utf8'));
    const calibrated = 1 / (1 + Math.exp(-(calibration.slope * w.margin + calibration.intercept)));
    expect(Math.abs(calibrated - detail.score)).toBeLessThan(1e-6);
    if (withZeroGlucose) {
      const imputed = value(
        await call<{ inputs: { feature: string; imputed: boolean; value: number | null }[] }>(
          clinician,
          'patientDetail',
          {
            batchId,
            patientId: withZeroGlucose[0],
          },
        ),
      );
      expect(imputed.inputs.find((i) => i.feature === 'Glucose')).toMatchObject({ value: null, imputed: true });
    }
    const review = value(await call(clinician, 'markReviewed', { batchId, patientId: target[0], note: 'phoned' }));
    expect(review).toMatchObject({ by: 'nurse', note: 'phoned' });
    const reviewed = value(
      await call<{ matching: number; rows: WorklistRow[] }>(clinician, 'worklistPage', {
        batchId,
        query: { reviewed: 'reviewed' },
        offset: 0,
        limit: 10,
      }),
    );
    expect(reviewed.matching).toBe(1);
    expect(reviewed.rows[0].patientId).toBe(target[0]);
    expect(app.store.audit.list({ action: 'patient.reviewed' }).at(-1)).toMatchObject({ subject: target[0] });
  });

  test('worklist rows carry their top three reasons and the borderline mark', async () => {
    const page = value(
      await call<{ rows: WorklistRow[]; matching: number }>(clinician, 'worklistPage', {
        batchId,
        offset: 0,
        limit: 60,
      }),
    );
    for (const row of page.rows) {
      expect(row.topFactors?.length).toBeGreaterThan(0);
      expect(row.topFactors?.length).toBeLessThanOrEqual(3);
      const sizes = (row.topFactors ?? []).map((f) => Math.abs(f.contribution));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      for (const f of row.topFactors ?? []) expect(f.text).toMatch(/(raises|lowers) the risk$/);
    }
    const { optimal_threshold: threshold } = JSON.parse(
      readFileSync(join(app.dataDir, 'models/production/metadata.json'), 'utf8'),
    );
    const borderline = value(
      await call<{ rows: WorklistRow[]; matching: number }>(clinician, 'worklistPage', {
        batchId,
        query: { borderlineOnly: true },
        offset: 0,
        limit: 1000,
      }),
    );
    const all = value(
      await call<{ rows: WorklistRow[] }>(clinician, 'worklistPage', { batchId, offset: 0, limit: 1000 }),
    );
    const expected = all.rows.filter((r) => Math.abs(r.score - threshold) <= 0.05).map((r) => r.patientId);
    expect(expected.length).toBeGreaterThan(0);
    expect(borderline.rows.map((r) => r.patientId).sort()).toEqual(expected.sort());
    expect(borderline.rows.every((r) => r.borderline)).toBe(true);
  });

  test('the worklist export is a CSV of the filtered rows', async () => {
    const file = value(
      await call<{ content: string; rowCount: number }>(clinician, 'exportWorklist', {
        batchId,
        query: { categories: ['High'] },
      }),
    );
    const parsed = Papa.parse<Record<string, string>>(file.content.trim(), { header: true });
    expect(parsed.data.length).toBe(file.rowCount);
    expect(parsed.data.every((r) => r.risk_category === 'High')).toBe(true);
    expect(parsed.data.every((r) => r.borderline_review === '0' || r.borderline_review === '1')).toBe(true);
    expect(parsed.data.every((r) => /raises the risk/.test(r.top_factors))).toBe(true);
  });

  test('a malformed CSV is refused with a clear error and stores no patients', async () => {
    const before = app.store.batches.list().filter((b) => b.status === 'completed').length;
    const content = 'patient_id,Pregnancies,BloodPressure\nX1,1,70\n';
    const result = await call(clinician, 'importBatch', { operationId: 'op-2', fileName: 'broken.csv', content });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('file-rejected');
    expect(result.error.message).toMatch(/Glucose/);
    expect(result.error.report?.fileErrors.length).toBeGreaterThan(0);
    const batches = app.store.batches.list();
    expect(batches.filter((b) => b.status === 'completed').length).toBe(before);
    const rejected = batches.find((b) => b.fileName === 'broken.csv');
    expect(rejected?.status).toBe('rejected');
    expect(app.store.batches.predictions(rejected?.id as number).total).toBe(0);
  });

  test('quick score scores one patient through the batch pipeline and records a batch of one', async () => {
    const features = {
      Pregnancies: 6,
      Glucose: 148,
      BloodPressure: 72,
      SkinThickness: 35,
      Insulin: 0,
      BMI: 33.6,
      DiabetesPedigreeFunction: 0.627,
      Age: 50,
    };
    const quick = value(
      await call<{ score: number; batchId: string; patientId: string }>(clinician, 'quickScore', {
        patientId: 'QS1',
        features,
      }),
    );
    const csv = `patient_id,${Object.keys(features).join(',')}\nQS1,${Object.values(features).join(',')}\n`;
    const viaFile = value(
      await call<{ batch: { batchId: string } }>(clinician, 'importBatch', {
        operationId: 'op-3',
        fileName: 'one.csv',
        content: csv,
      }),
    );
    const fileRow = value(
      await call<{ rows: WorklistRow[] }>(clinician, 'worklistPage', {
        batchId: viaFile.batch.batchId,
        offset: 0,
        limit: 1,
      }),
    ).rows[0];
    expect(quick.score).toBe(fileRow.score);
    expect(app.store.batches.get(Number(quick.batchId))?.source).toBe('quick-score');
    const invalid = await call(clinician, 'quickScore', { features: { ...features, Age: 130 } });
    expect(invalid.ok ? 'ok' : invalid.error.code).toBe('invalid-argument');
  });

  test('a call made during an import runs after it, so it can never join (and be rolled back with) the batch', async () => {
    const importing = call(clinician, 'importBatch', {
      operationId: 'op-serial',
      fileName: 'serial_batch.csv',
      content: batchCsv.replace(/\n([A-Z]+)(\d+),/g, '\n$1S$2,'),
    });
    const firstRow = Papa.parse<string[]>(batchCsv.trim()).data[1];
    const reviewing = call(clinician, 'markReviewed', { batchId, patientId: firstRow[0], note: 'during import' });
    const [imported, reviewed] = await Promise.all([importing, reviewing]);
    expect(imported.ok && reviewed.ok).toBe(true);
    const events = app.store.audit.list();
    const scored = events.find(
      (e) => e.action === 'batch.scored' && (e.details as { file?: string }).file === 'serial_batch.csv',
    );
    const review = events.filter((e) => e.action === 'patient.reviewed').at(-1);
    expect(scored).toBeDefined();
    expect(review?.details).toMatchObject({ withNote: true });
    expect((review?.seq ?? 0) > (scored?.seq ?? 0)).toBe(true);
    expect(app.store.audit.verify().ok).toBe(true);
  });

  test('lock refuses clinical calls until the same password unlocks; idleness locks in main too', async () => {
    value(await call(clinician, 'lock', { reason: 'manual' }));
    const locked = await call(clinician, 'listBatches', {});
    expect(locked.ok ? 'ok' : locked.error.code).toBe('locked');
    const wrong = await call(clinician, 'unlock', { password: 'not it at all' });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('bad-credentials');
    value(await call(clinician, 'unlock', { password: 'nurse password' }));
    expect((await call(clinician, 'listBatches', {})).ok).toBe(true);

    app.advanceClock(16 * 60_000);
    const idle = await call(clinician, 'listBatches', {});
    expect(idle.ok ? 'ok' : idle.error.code).toBe('locked');
    const lockEvents = app.store.audit.list({ action: 'auth.locked' });
    expect(lockEvents.map((e) => e.details.reason)).toEqual(['manual', 'inactivity']);
  });
});
