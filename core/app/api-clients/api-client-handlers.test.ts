import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Result } from '../../api/result';
import { clientForKey } from '../../auth/api-keys';
import type { ClientSession } from '../client-session';
import { appCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

let app: TestApp;
let dir: string;
let admin: ClientSession;
let clinician: ClientSession;
const call = appCaller(() => app);
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-api-clients-'));
  app = await createTestApp(join(dir, 'data'), { autoLockMinutes: 0 });
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'admin password 1' }));
  value(await call(admin, 'createUser', { username: 'nurse', password: 'user password 1', role: 'clinician' }));
  clinician = app.newSession();
  value(await call(clinician, 'signIn', { username: 'nurse', password: 'user password 1' }));
});

afterAll(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an admin creates a client: the key comes once, works, is listed by prefix only, and is audited without it', async () => {
  const created = value(
    await call<{ key: string; client: { keyPrefix: string } }>(admin, 'createApiClient', { name: 'EHR bridge' }),
  );
  expect(created.key).toMatch(/^gsk_[A-Za-z0-9_-]{11}_[A-Za-z0-9_-]{43}$/);
  expect(created.key).toContain(created.client.keyPrefix);
  expect(clientForKey(app.store.apiClients, created.key)?.name).toBe('EHR bridge');

  const list = value(await call<object[]>(admin, 'listApiClients', {}));
  expect(list).toEqual([expect.objectContaining({ name: 'EHR bridge', createdBy: 'admin', revokedAt: null })]);
  expect(JSON.stringify(list)).not.toContain(created.key.slice(17));

  const [event] = app.store.audit.list({ action: 'api-client.create' });
  expect(event).toMatchObject({ actor: 'admin', subject: 'EHR bridge' });
  expect(JSON.stringify(event)).not.toContain(created.key.slice(17));

  expect(codeOf(await call(admin, 'createApiClient', { name: 'ehr BRIDGE' }))).toBe('conflict');
  expect(codeOf(await call(admin, 'createApiClient', { name: 'bad\nname' }))).toBe('invalid-argument');

  value(await call(admin, 'revokeApiClient', { name: 'EHR bridge' }));
  expect(clientForKey(app.store.apiClients, created.key)).toBeNull();
  expect(app.store.audit.list({ action: 'api-client.revoke' })[0]).toMatchObject({ actor: 'admin' });
  expect(codeOf(await call(admin, 'revokeApiClient', { name: 'nobody' }))).toBe('not-found');
});

test('clinicians may not manage API clients', async () => {
  for (const [method, arg] of [
    ['createApiClient', { name: 'x' }],
    ['listApiClients', {}],
    ['revokeApiClient', { name: 'x' }],
  ] as const) {
    expect(codeOf(await call(clinician, method, arg))).not.toBe('ok');
  }
  expect(app.store.apiClients.get('x')).toBeNull();
});
