import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { trailOf } from '../../backup/database-backup';
import { verifyAuditIntegrity } from '../../store/audit-integrity';
import { execRawSql } from '../../testing/store-fixtures';
import type { ClientSession } from '../client-session';
import { contractCaller, value } from '../test-support/app-calls';
import { batchImporter, syntheticBatchTexts } from '../test-support/synthetic-imports';
import { createTestApp, type TestApp } from '../test-support/test-app';

let app: TestApp;
let dir: string;
let admin: ClientSession;
let batches: string[] = [];
const call = contractCaller(() => app);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-backups-'));
  app = await createTestApp(join(dir, 'data'));
  batches = await syntheticBatchTexts(dir, [1, 2], 200);
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const importBatch = batchImporter(
  () => app,
  () => admin,
  () => batches,
);

describe('backups and restore from the app', () => {
  let backupFile = '';

  test('a backup lands in the backups folder, private, listed and audited', async () => {
    await importBatch(0);
    const taken = value(await call(admin, 'backupDatabase', {}));
    backupFile = taken.file;
    expect(taken.kept).toEqual([backupFile]);
    const path = join(app.dataDir, 'backups', backupFile);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(app.dataDir, 'backups')).mode & 0o777).toBe(0o700);
    expect(value(await call(admin, 'listBackups', {})).map((b) => b.file)).toEqual([backupFile]);
    expect(app.store.audit.head()).toMatchObject({ action: 'database.backed-up', subject: backupFile, actor: 'admin' });
  });

  test('a restore needs the typed confirmation', async () => {
    const unconfirmed = await call(admin, 'restoreDatabase', { file: backupFile, confirm: 'yes' as 'RESTORE' });
    expect(unconfirmed.ok ? 'ok' : unconfirmed.error.code).toBe('invalid-argument');
  });

  test('a backup with an edited event is refused naming it; the database in use is untouched', async () => {
    await importBatch(1);
    const tampered = 'glucoscreen-2000-01-01T00-00-00-000Z.db';
    const backups = join(app.dataDir, 'backups');
    copyFileSync(join(backups, backupFile), join(backups, tampered));
    copyFileSync(trailOf(join(backups, backupFile)), trailOf(join(backups, tampered)));
    execRawSql(join(backups, tampered), "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1");
    const refused = await call(admin, 'restoreDatabase', { file: tampered, confirm: 'RESTORE' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('conflict');
    expect(refused.ok ? '' : refused.error.message).toMatch(/does not verify.*event 1/);
    expect(app.store.batches.list({})).toHaveLength(2);
    expect(app.store.audit.head()).toMatchObject({ action: 'database.restore-refused', subject: tampered });
    rmSync(join(backups, tampered));
    rmSync(trailOf(join(backups, tampered)));
  });

  test('a good backup is restored: the app runs on it at once, the chain verifies and records the restore', async () => {
    const done = value(await call(admin, 'restoreDatabase', { file: backupFile, confirm: 'RESTORE' }));
    expect(done.restoredFrom).toBe(backupFile);
    expect(done.preRestoreCopy).toMatch(/^pre-restore-/);
    // The next call runs on the restored store: one batch, as at backup time; the admin is still signed in.
    expect(value(await call(admin, 'listBatches', {}))).toHaveLength(1);
    expect(app.store.batches.list({})).toHaveLength(1);
    const head = app.store.audit.head();
    expect(head).toMatchObject({ action: 'database.restored', subject: backupFile, actor: 'admin' });
    expect(verifyAuditIntegrity(app.store).ok).toBe(true);
    // The import made after the backup can be made again.
    await importBatch(1);
    expect(app.store.batches.list({})).toHaveLength(2);
  });
});
