import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Result } from '../../api/result';
import { LOCKOUT_MS } from '../../auth/accounts';
import { hashPassword } from '../../auth/password-hash';
import type { AuditEvent } from '../../store/audit-log';
import type { ClientSession } from '../client-session';
import { appCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

// Accounts and access through the app's dispatch, on a real database, with a clock that moves only when told.
let app: TestApp;
let dir: string;
let admin: ClientSession;
const call = appCaller(() => app);
const ADMIN_PW = 'admin password 1';
const PW = 'user password 1';

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const messageOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.message);
const eventsSince = (seq: number, action?: string): AuditEvent[] => app.store.audit.list({ afterSeq: seq, action });
const lastSeq = () => app.store.audit.list({ descending: true, limit: 1 })[0]?.seq ?? 0;

async function newUser(username: string, role: 'clinician' | 'admin' = 'clinician'): Promise<ClientSession> {
  value(await call(admin, 'createUser', { username, password: PW, role }));
  const session = app.newSession();
  value(await call(session, 'signIn', { username, password: PW }));
  return session;
}

/** n wrong sign-ins, each after the back-off of the one before has passed. */
async function failSignIns(username: string, n: number): Promise<Result<unknown>> {
  let last: Result<unknown> = { ok: true, value: null };
  for (let i = 0; i < n; i++) {
    app.advanceClock(60_000);
    last = await call(app.newSession(), 'signIn', { username, password: 'wrong password' });
  }
  return last;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-accounts-'));
  app = await createTestApp(join(dir, 'data'), { frozenClock: true, autoLockMinutes: 0 });
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: ADMIN_PW }));
});

afterAll(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('last-admin guard', () => {
  test('the only enabled admin can be neither disabled nor demoted', async () => {
    const disable = await call(admin, 'setUserDisabled', { username: 'admin', disabled: true });
    const demote = await call(admin, 'setUserRole', { username: 'admin', role: 'clinician' });
    expect([codeOf(disable), codeOf(demote)]).toEqual(['conflict', 'conflict']);
    expect(app.store.users.get('admin')).toMatchObject({ role: 'admin', disabled: false });

    // With a second admin the first may be demoted; then the second is the last one and is protected.
    await newUser('second-admin', 'admin');
    value(await call(admin, 'setUserRole', { username: 'second-admin', role: 'clinician' }));
    value(await call(admin, 'setUserRole', { username: 'second-admin', role: 'admin' }));
    value(await call(admin, 'setUserDisabled', { username: 'second-admin', disabled: true }));
    expect(codeOf(await call(admin, 'setUserRole', { username: 'admin', role: 'clinician' }))).toBe('conflict');
    value(await call(admin, 'setUserDisabled', { username: 'second-admin', disabled: false }));
  });
});

describe('sign-in back-off and lockout', () => {
  test('after a failure the next attempt waits (1 s, then doubling) and a refused attempt does not count', async () => {
    await newUser('backoff');
    const seq = lastSeq();
    await failSignIns('backoff', 1);
    const early = await call(app.newSession(), 'signIn', { username: 'backoff', password: PW });
    expect(messageOf(early)).toMatch(/Try again in 1 s/);
    app.advanceClock(999);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'backoff', password: PW }))).toBe(
      'bad-credentials',
    );
    app.advanceClock(1);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'backoff', password: PW }))).toBe('ok');
    // Throttled attempts checked no password: only the one real failure is in the log.
    expect(eventsSince(seq, 'auth.sign-in-failed')).toHaveLength(1);

    await failSignIns('backoff', 3);
    app.advanceClock(3_999);
    expect(messageOf(await call(app.newSession(), 'signIn', { username: 'backoff', password: PW }))).toMatch(
      /Try again in 1 s/,
    );
    app.advanceClock(1);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'backoff', password: PW }))).toBe('ok');
  });

  test('the 5th failure locks the account out: the right password is refused until an admin unlocks it', async () => {
    await newUser('guessed');
    const seq = lastSeq();
    expect(messageOf(await failSignIns('guessed', 4))).toBe('wrong username or password');
    expect(messageOf(await failSignIns('guessed', 1))).toMatch(/locked/);
    app.advanceClock(60_000);
    const refused = await call(app.newSession(), 'signIn', { username: 'guessed', password: PW });
    expect(messageOf(refused)).toMatch(/locked/);
    const lockedOut = eventsSince(seq, 'auth.locked-out');
    expect(lockedOut).toHaveLength(1);
    expect(lockedOut[0]).toMatchObject({ actor: 'guessed', subject: 'guessed', details: { failures: 5 } });
    const listed = value(await call<{ username: string; lockedOut: boolean }[]>(admin, 'listUsers', {}));
    expect(listed.find((u) => u.username === 'guessed')?.lockedOut).toBe(true);

    expect(codeOf(await call(app.newSession(), 'unlockUser', { username: 'guessed' }))).toBe('unauthenticated');
    expect(value(await call(admin, 'unlockUser', { username: 'guessed' }))).toMatchObject({ lockedOut: false });
    const [unlocked] = eventsSince(seq, 'user.unlocked');
    expect(unlocked).toMatchObject({
      actor: 'admin',
      subject: 'guessed',
      details: {
        before: { role: 'clinician', disabled: false, lockedOut: true },
        after: { role: 'clinician', disabled: false, lockedOut: false },
      },
    });
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'guessed', password: PW }))).toBe('ok');
  });

  test('a lockout ends by itself after its time; an unknown name locks out exactly alike', async () => {
    await newUser('patient-user');
    await failSignIns('patient-user', 5);
    await failSignIns('nobody-here', 4);
    const unknown = await failSignIns('nobody-here', 1);
    expect(messageOf(unknown)).toBe(messageOf(await failSignIns('patient-user', 1)));
    app.advanceClock(LOCKOUT_MS);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'patient-user', password: PW }))).toBe('ok');
  });

  test('a weaker stored hash is replaced at the next successful sign-in, audited without secrets', async () => {
    await newUser('old-hash');
    const weak = await hashPassword(PW, { n: 1 << 9, r: 8, p: 1, keyLength: 32 });
    app.store.users.setPassword('old-hash', weak);
    const seq = lastSeq();
    value(await call(app.newSession(), 'signIn', { username: 'old-hash', password: PW }));
    const upgraded = app.store.users.passwordOf('old-hash');
    expect(upgraded).toMatchObject({ n: 1 << 10, keyLength: 64 });
    expect(upgraded?.salt).not.toBe(weak.salt);
    const [event] = eventsSince(seq, 'auth.hash-upgraded');
    expect(event.details).toEqual({
      before: { n: 512, r: 8, p: 1, keyLength: 32 },
      after: { n: 1024, r: 8, p: 1, keyLength: 64 },
    });
    // The same password still signs in, and the now-current hash is left alone.
    value(await call(app.newSession(), 'signIn', { username: 'old-hash', password: PW }));
    expect(app.store.users.passwordOf('old-hash')?.salt).toBe(upgraded?.salt);
  });
});

describe('unlock', () => {
  test('5 failed unlocks sign the session out; a success in between resets the count', async () => {
    const session = await newUser('unlocker');
    value(await call(session, 'lock', { reason: 'manual' }));
    for (let i = 0; i < 4; i++) {
      expect(codeOf(await call(session, 'unlock', { password: 'wrong password' }))).toBe('bad-credentials');
    }
    value(await call(session, 'unlock', { password: PW }));
    value(await call(session, 'lock', { reason: 'manual' }));
    const seq = lastSeq();
    for (let i = 0; i < 4; i++) await call(session, 'unlock', { password: 'wrong password' });
    const fifth = await call(session, 'unlock', { password: 'wrong password' });
    expect(codeOf(fifth)).toBe('unauthenticated');
    expect(value(await call(session, 'currentSession', {}))).toBeNull();
    expect(codeOf(await call(session, 'unlock', { password: PW }))).toBe('unauthenticated');
    expect(eventsSince(seq, 'auth.signed-out')).toMatchObject([
      { actor: 'unlocker', details: { reason: 'unlock-failures', failures: 5 } },
    ]);
  });
});

describe('admin account changes', () => {
  test('disabling a user ends their open session at its next call and blocks sign-in; audited before/after', async () => {
    const session = await newUser('leaver');
    const seq = lastSeq();
    expect(value(await call(admin, 'setUserDisabled', { username: 'leaver', disabled: true }))).toMatchObject({
      disabled: true,
    });
    expect(codeOf(await call(session, 'listBatches', {}))).toBe('unauthenticated');
    expect(value(await call(session, 'currentSession', {}))).toBeNull();
    expect(eventsSince(seq, 'auth.session-ended')).toMatchObject([
      { subject: 'leaver', details: { reason: 'account-disabled' } },
    ]);
    expect(eventsSince(seq, 'user.disabled-changed')).toMatchObject([
      {
        actor: 'admin',
        subject: 'leaver',
        details: { before: { disabled: false }, after: { disabled: true } },
      },
    ]);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'leaver', password: PW }))).toBe(
      'bad-credentials',
    );
    value(await call(admin, 'setUserDisabled', { username: 'leaver', disabled: false }));
    app.advanceClock(60_000);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'leaver', password: PW }))).toBe('ok');
  });

  test('a password reset replaces the password and is audited without the password or its hash', async () => {
    await newUser('forgetful');
    const seq = lastSeq();
    const newPassword = 'brand new secret 9';
    value(await call(admin, 'resetPassword', { username: 'forgetful', password: newPassword }));
    app.advanceClock(60_000);
    expect(codeOf(await call(app.newSession(), 'signIn', { username: 'forgetful', password: PW }))).toBe(
      'bad-credentials',
    );
    app.advanceClock(60_000);
    value(await call(app.newSession(), 'signIn', { username: 'forgetful', password: newPassword }));
    const events = eventsSince(seq);
    expect(events.filter((e) => e.action === 'user.password-reset')).toMatchObject([
      {
        actor: 'admin',
        subject: 'forgetful',
        details: { before: { role: 'clinician', disabled: false }, after: { role: 'clinician', disabled: false } },
      },
    ]);
    const stored = app.store.users.passwordOf('forgetful');
    const text = JSON.stringify(events) + readFileSync(app.store.audit.trailPath ?? '', 'utf8');
    for (const secret of [newPassword, PW, stored?.hash ?? '-', stored?.salt ?? '-']) {
      expect(text).not.toContain(secret);
    }
    expect(codeOf(await call(admin, 'resetPassword', { username: 'forgetful', password: 'short' }))).toBe(
      'invalid-argument',
    );
  });

  test('a role change is audited before/after, and a demoted admin loses admin access at the next call', async () => {
    const session = await newUser('deputy', 'admin');
    value(await call(session, 'listUsers', {}));
    const seq = lastSeq();
    value(await call(admin, 'setUserRole', { username: 'deputy', role: 'clinician' }));
    expect(codeOf(await call(session, 'listUsers', {}))).toBe('forbidden');
    expect(value(await call(session, 'currentSession', {}))).toMatchObject({ role: 'clinician' });
    expect(value(await call(session, 'listBatches', {}))).toBeDefined();
    expect(eventsSince(seq, 'user.role-changed')).toMatchObject([
      { actor: 'admin', subject: 'deputy', details: { before: { role: 'admin' }, after: { role: 'clinician' } } },
    ]);
    expect(eventsSince(seq, 'access.denied')).toMatchObject([{ actor: 'deputy', subject: 'listUsers' }]);
  });

  test('clinicians are refused every account change', async () => {
    const session = await newUser('plain-nurse');
    for (const [method, arg] of [
      ['setUserDisabled', { username: 'admin', disabled: true }],
      ['setUserRole', { username: 'plain-nurse', role: 'admin' }],
      ['resetPassword', { username: 'admin', password: 'x'.repeat(12) }],
      ['unlockUser', { username: 'admin' }],
    ] as const) {
      expect(codeOf(await call(session, method, arg))).toBe('forbidden');
    }
    expect(app.store.users.get('plain-nurse')?.role).toBe('clinician');
  });
});

describe('read access to patient data', () => {
  test('worklist pages, patient detail, exports and quick score are audited once per view, without patient values', async () => {
    const nurse = await newUser('reader');
    const content = readFileSync(resolve(import.meta.dirname, '../../../resources/sample_daily_batch.csv'), 'utf8')
      .split('\n')
      .slice(0, 41)
      .join('\n');
    const imported = value(
      await call<{ batch: { batchId: string } }>(nurse, 'importBatch', {
        operationId: 'op-read',
        fileName: 'read.csv',
        content,
      }),
    );
    const batchId = imported.batch.batchId;
    const seq = lastSeq();

    const page = value(
      await call<{ rows: { patientId: string; rowIndex: number }[] }>(nurse, 'worklistPage', {
        batchId,
        offset: 10,
        limit: 20,
        query: { search: 'P0' },
      }),
    );
    value(await call(nurse, 'patientDetail', { batchId, patientId: page.rows[0].patientId }));
    value(await call(nurse, 'exportWorklist', { batchId }));
    value(
      await call(nurse, 'quickScore', {
        patientId: 'QS-READ',
        features: {
          Pregnancies: 2,
          Glucose: 140,
          BloodPressure: 70,
          SkinThickness: 20,
          Insulin: 80,
          BMI: 31.5,
          DiabetesPedigreeFunction: 0.5,
          Age: 44,
        },
      }),
    );

    const reads = eventsSince(seq).filter((e) => e.action.startsWith('read.'));
    expect(reads.map((e) => [e.action, e.actor, e.subject])).toEqual([
      ['read.worklist-page', 'reader', batchId],
      ['read.patient-detail', 'reader', page.rows[0].patientId],
      ['read.quick-score', 'reader', 'QS-READ'],
    ]);
    expect(reads[0].details).toMatchObject({ from: 10, rows: page.rows.length, searched: true });
    expect(reads[1].details).toEqual({ batchId: Number(batchId), rowIndex: page.rows[0].rowIndex });
    expect(reads.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    // The export is one event for the whole file.
    expect(eventsSince(seq, 'batch.worklist-exported')).toMatchObject([
      { actor: 'reader', subject: batchId, details: { rows: 40 } },
    ]);
    // No patient_id of the page, no search text and no clinical value in the events of the list views.
    const listText = JSON.stringify([reads[0], ...eventsSince(seq, 'batch.worklist-exported')].map((e) => e.details));
    expect(listText).not.toMatch(/P0\d\d|"P0"|140|31\.5/);
    expect(JSON.stringify(reads[2].details)).not.toMatch(/140|31\.5|44/);
  });
});
