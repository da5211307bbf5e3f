import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ShadowStatus } from '../../api/shadow-types';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { writeSyntheticBatch } from '../../screening/synthetic-batch';
import { buildChallengerParts } from '../../testing/challenger-model';
import { pimaPath } from '../../testing/pima';
import { writeTestBundle } from '../../testing/test-bundle';
import type { ClientSession } from '../client-session';
import { contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

let app: TestApp;
let dir: string;
let batchCsv: string;
const call = contractCaller(() => app);
const CANDIDATE = 'experiments/model_20261203_100000';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-shadow-'));
  app = await createTestApp(join(dir, 'data'));
  await writeTestBundle(join(app.modelsRoot, CANDIDATE), 'v0.9.0', await buildChallengerParts());
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  writeSyntheticBatch(join(dir, 'day.csv'), pima.table, { rows: 400, seed: 9, idPrefix: 'S' });
  batchCsv = readFileSync(join(dir, 'day.csv'), 'utf8');
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shadow methods through the app', () => {
  let admin: ClientSession;
  let clinician: ClientSession;

  test('setup: an admin and a clinician', async () => {
    admin = app.newSession();
    value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
    value(await call(admin, 'createUser', { username: 'nurse', password: 'battery staple 2', role: 'clinician' }));
    clinician = app.newSession();
    value(await call(clinician, 'signIn', { username: 'nurse', password: 'battery staple 2' }));
  });

  test('a clinician may neither read nor change the shadow', async () => {
    for (const result of [
      await call(clinician, 'shadowStatus', {}),
      await call(clinician, 'setShadow', { modelId: CANDIDATE, confirmed: true }),
      await call(clinician, 'clearShadow', { confirmed: true }),
    ]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('forbidden');
    }
    expect(app.store.shadow.history()).toEqual([]);
  });

  test('setting needs the confirmation and a registry id, never a path', async () => {
    const unconfirmed = await call(admin, 'setShadow', { modelId: CANDIDATE } as never);
    expect(unconfirmed.ok).toBe(false);
    const path = await call(admin, 'setShadow', { modelId: '../../etc', confirmed: true });
    expect(path.ok).toBe(false);
    expect(app.store.shadow.current()).toBeNull();
  });

  test('an admin puts the candidate in shadow; an import is scored by both, the worklist shows production only', async () => {
    const status = value(await call(admin, 'setShadow', { modelId: CANDIDATE, confirmed: true }));
    expect(status.current).toMatchObject({ modelId: CANDIDATE, modelVersion: 'v0.9.0', assignedBy: 'admin' });
    const assigned = app.store.audit.list({ action: 'shadow.assigned' });
    expect(assigned).toHaveLength(1);
    expect(assigned[0].details).toMatchObject({ before: { shadow: null }, after: { shadow: 'v0.9.0' } });

    const imported = value(
      await call(clinician, 'importBatch', { operationId: 'day_csv', fileName: 'day.csv', content: batchCsv }),
    );
    const batchId = Number(imported.batch.batchId);
    const page = value(
      await call(clinician, 'worklistPage', { batchId: imported.batch.batchId, offset: 0, limit: 1000 }),
    );
    const pairs = app.store.shadow.pairs('v0.9.0');
    expect(pairs).toHaveLength(page.total);
    const byRow = new Map(pairs.map((p) => [p.rowIndex, p]));
    for (const row of page.rows) {
      const pair = byRow.get(row.rowIndex);
      expect(row.score).toBe(pair?.production.score);
    }
    expect(pairs.some((p) => p.shadow.score !== p.production.score)).toBe(true);

    const compared: ShadowStatus = value(await call(admin, 'shadowStatus', {}));
    expect(compared.comparison?.agreement.n).toBe(page.total);
    expect(compared.comparison?.batches).toEqual([
      expect.objectContaining({ batchId, status: 'scored', rowCount: page.total }),
    ]);
    const agreeing = pairs.filter((p) => p.production.recommendation === p.shadow.recommendation).length;
    expect(compared.comparison?.agreement.agreeing).toBe(agreeing);
  });

  test('a changed bundle is refused and the refusal audited; the current shadow stays', async () => {
    const tampered = 'experiments/model_20261204_100000';
    await writeTestBundle(join(app.modelsRoot, tampered), 'v0.9.1', await buildChallengerParts());
    writeFileSync(join(app.modelsRoot, tampered, 'trees.json'), '{}');
    const result = await call(admin, 'setShadow', { modelId: tampered, confirmed: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/not usable: .*trees\.json/);
    expect(app.store.audit.list({ action: 'shadow.assign-refused' })).toHaveLength(1);
    expect(app.store.shadow.current()?.modelVersion).toBe('v0.9.0');
  });

  test('clearing ends it, audited; clearing again is a conflict', async () => {
    const status = value(await call(admin, 'clearShadow', { confirmed: true }));
    expect(status.current).toBeNull();
    expect(status.history[0]).toMatchObject({ modelVersion: 'v0.9.0', clearedBy: 'admin' });
    // The comparison of the past shadow stays available.
    expect(status.comparison?.shadowVersion).toBe('v0.9.0');
    expect(app.store.audit.list({ action: 'shadow.cleared' })).toHaveLength(1);
    const again = await call(admin, 'clearShadow', { confirmed: true });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('conflict');
  });
});
