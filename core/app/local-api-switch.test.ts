import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import type { ClientSession } from './client-session';
import { contractCaller, value } from './test-support/app-calls';
import { createTestApp, type TestApp } from './test-support/test-app';

/** The api.enabled setting through the app layer: saving it starts the same service as `npm run serve`. */
let app: TestApp;
let dir: string;
let admin: ClientSession;
const call = contractCaller(() => app);

/** A port free on 127.0.0.1 now (the setting takes 1024 and up, so an ephemeral port 0 is not an option). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function setApi(api: { enabled: boolean; port?: number; rateLimitPerMinute?: number }) {
  const stored = value(await call(admin, 'getSettings', {}));
  value(
    await call(admin, 'updateSettings', {
      values: { ...stored.values, api: { ...stored.values.api, ...api } },
      expectedVersion: stored.version,
    }),
  );
  await app.localApi.sync();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-local-api-'));
  app = await createTestApp(join(dir, 'data'));
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'admin password 1' }));
}, 60_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local scoring API follows its setting', () => {
  test('off by default: nothing listens', () => {
    expect(app.localApi.url()).toBeNull();
  });

  test('enabled: it listens on 127.0.0.1, wants a key, scores a real patient into the app database, and is audited', async () => {
    const port = await freePort();
    await setApi({ enabled: true, port });
    expect(app.localApi.lastError()).toBeNull();
    expect(app.localApi.url()).toBe(`http://127.0.0.1:${port}/`);
    expect((await fetch(`http://127.0.0.1:${port}/v1/health`)).status).toBe(401);

    const { key } = value(await call(admin, 'createApiClient', { name: 'EHR bridge' }));
    const pima = loadPimaColumns();
    const patient = {
      patient_id: 'API-1',
      Pregnancies: pima.raw.Pregnancies[0],
      Glucose: pima.raw.Glucose[0],
      BloodPressure: pima.raw.BloodPressure[0],
      SkinThickness: pima.raw.SkinThickness[0],
      Insulin: pima.raw.Insulin[0],
      BMI: pima.raw.BMI[0],
      DiabetesPedigreeFunction: pima.raw.DiabetesPedigreeFunction[0],
      Age: pima.raw.Age[0],
    };
    const scored = await fetch(`http://127.0.0.1:${port}/v1/score?format=json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ patients: [patient] }),
    });
    expect(scored.status).toBe(200);
    const body = (await scored.json()) as { batch_id: number; scored: number };
    expect(body.scored).toBe(1);
    // The batch is in the app's own database, as one the app lists.
    const batches = value(await call(admin, 'listBatches', {}));
    expect(batches.map((b) => b.batchId)).toContain(String(body.batch_id));

    const start = app.store.audit.list({ action: 'api.start' });
    expect(start.map((e) => [e.actor, e.details.port])).toEqual([['admin', port]]);
  });

  test('a new limit restarts it with that limit; a change elsewhere in the settings leaves it running', async () => {
    const port = Number(new URL(app.localApi.url() ?? '').port);
    const starts = () => app.store.audit.list({ action: 'api.start' }).length;
    const before = starts();
    const stored = value(await call(admin, 'getSettings', {}));
    value(
      await call(admin, 'updateSettings', {
        values: { ...stored.values, followUp: { overdueDays: stored.values.followUp.overdueDays + 1 } },
        expectedVersion: stored.version,
      }),
    );
    await app.localApi.sync();
    expect(starts()).toBe(before);

    await setApi({ enabled: true, port, rateLimitPerMinute: 2 });
    expect(starts()).toBe(before + 1);
    expect(app.localApi.url()).toBe(`http://127.0.0.1:${port}/`);
    const { key } = value(await call(admin, 'createApiClient', { name: 'rate-limited client' }));
    const health = () => fetch(`http://127.0.0.1:${port}/v1/health`, { headers: { authorization: `Bearer ${key}` } });
    expect([(await health()).status, (await health()).status, (await health()).status]).toEqual([200, 200, 429]);
  });

  test('disabled: it stops listening, and the stop is audited', async () => {
    const port = Number(new URL(app.localApi.url() ?? '').port);
    await setApi({ enabled: false });
    expect(app.localApi.url()).toBeNull();
    await expect(fetch(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow();
    expect(app.store.audit.list({ action: 'api.stop' }).map((e) => e.details.port)).toEqual([port, port]);
  });

  test('a port another program holds is reported, and the app goes on without the API', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((done) =>
      blocker.listen(0, '127.0.0.1', () => done((blocker.address() as { port: number }).port)),
    );
    try {
      await setApi({ enabled: true, port });
      expect(app.localApi.url()).toBeNull();
      expect(app.localApi.lastError()).toMatch(new RegExp(`could not start on port ${port}`));
    } finally {
      blocker.close();
      await setApi({ enabled: false });
    }
  });
});
