import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { authorize, confirmPassword, createFirstAdmin, createUser, needsFirstRun, signIn } from './accounts';
import { hashPassword, verifyPassword } from './password-hash';

// Small scrypt cost so the tests stay quick; the production parameters are exercised once below.
const FAST = { n: 1024, r: 8, p: 1, keyLength: 32 };
let dir: string;
let store: Store;
let deps: { users: Store['users']; audit: Store['audit']; scrypt: typeof FAST };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'auth-test-'));
  store = openStore(join(dir, 'db.sqlite'));
  deps = { users: store.users, audit: store.audit, scrypt: FAST };
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('password hashing', () => {
  test('the default parameters are stored with the hash and verify only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatchObject({ n: 2 ** 17, r: 8, p: 1, keyLength: 64 });
    expect(stored.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  test('two hashes of one password differ by their salt', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a.hash).not.toBe(b.hash);
  });

  test('a truncated stored hash never verifies', async () => {
    const stored = await hashPassword('same password', FAST);
    expect(await verifyPassword('same password', { ...stored, hash: stored.hash.slice(2) })).toBe(false);
  });
});

describe('accounts', () => {
  test('first run creates the admin once', async () => {
    expect(needsFirstRun(deps)).toBe(true);
    const first = await createFirstAdmin(deps, 'admin', 'long enough pw');
    expect(first).toMatchObject({ ok: true, value: { username: 'admin', role: 'admin' } });
    expect(needsFirstRun(deps)).toBe(false);
    expect(await createFirstAdmin(deps, 'other', 'long enough pw')).toMatchObject({ ok: false, code: 'conflict' });
  });

  test('sign-in succeeds with the password, fails alike for a wrong password and an unknown user, and is audited', async () => {
    await createFirstAdmin(deps, 'admin', 'long enough pw');
    expect(await signIn(deps, 'ADMIN', 'long enough pw')).toMatchObject({ ok: true, value: { username: 'admin' } });
    const wrong = await signIn(deps, 'admin', 'wrong password');
    const unknown = await signIn(deps, 'ghost', 'long enough pw');
    expect(wrong).toEqual(unknown);
    expect(store.audit.list().map((e) => e.action)).toEqual([
      'user.created',
      'auth.signed-in',
      'auth.sign-in-failed',
      'auth.sign-in-failed',
    ]);
    expect(store.audit.list({ action: 'auth.sign-in-failed' }).map((e) => e.details)).toEqual([
      { failures: 1 },
      { failures: 1 },
    ]);
    expect(JSON.stringify(store.audit.list())).not.toContain('long enough pw');
  });

  test('only an admin creates users; short passwords and bad names are refused', async () => {
    const admin = await createFirstAdmin(deps, 'admin', 'long enough pw');
    if (!admin.ok) throw new Error('setup');
    const nurse = await createUser(deps, admin.value, {
      username: 'nurse',
      password: 'long enough pw',
      role: 'clinician',
    });
    if (!nurse.ok) throw new Error('setup');
    expect(
      await createUser(deps, nurse.value, { username: 'x2y', password: 'long enough pw', role: 'admin' }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(
      await createUser(deps, admin.value, { username: 'ok_name', password: 'short', role: 'clinician' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid-argument',
      message: 'password must be at least 10 characters',
    });
    expect(
      await createUser(deps, admin.value, { username: 'a b', password: 'long enough pw', role: 'clinician' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid-argument',
    });
    expect(await confirmPassword(deps, nurse.value, 'long enough pw')).toBe(true);
  });

  test('authorize: admin covers clinician, clinician does not cover admin, disabled covers nothing', () => {
    const base = { username: 'u', disabled: false };
    expect(authorize({ ...base, role: 'admin' }, 'clinician')).toEqual({ ok: true });
    expect(authorize({ ...base, role: 'clinician' }, 'clinician')).toEqual({ ok: true });
    expect(authorize({ ...base, role: 'clinician' }, 'admin')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(authorize({ ...base, role: 'admin', disabled: true }, 'clinician')).toMatchObject({ ok: false });
    expect(authorize(null, 'clinician')).toMatchObject({ ok: false });
  });
});
