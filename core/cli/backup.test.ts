import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { trailOf } from '../backup/database-backup';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { openStore } from '../store/sqlite-store';
import { runCliInProcess } from '../testing/cli-runs';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { loadPimaTable } from '../testing/pima';
import { execRawSql } from '../testing/store-fixtures';
import { main as verify } from './audit-verify';
import { main as backup } from './backup';
import { main as screen } from './screen';

/**
 * npm run backup on a database built by the real screen CLI: backups rotate, a tampered backup is refused naming the
 * event, and a restore brings back the backed-up batches with a verifying chain that records the restore.
 */
const spaces = cliWorkspaces('backup-cli-', 'warn');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const pause = () => new Promise((done) => setTimeout(done, 5));

function batchCount(db: string): number {
  const store = openStore(db, { auditKeyring: null });
  try {
    return store.batches.list({}).length;
  } finally {
    store.close();
  }
}

describe('npm run backup', () => {
  test('backups rotate; a tampered one is refused naming the event; a good one restores with a verifying chain', async () => {
    const w = spaces.workspace('clinic');
    const pima = await loadPimaTable();
    const backups = join(w.ws, 'backups');
    const batch = (name: string, seed: number) => {
      const path = join(w.ws, name);
      writeSyntheticBatch(path, pima, { rows: 150, seed, idPrefix: name.slice(0, 1).toUpperCase() });
      return runCliInProcess(screen, ['--input', path, '--config', w.config]);
    };
    expect((await batch('monday.csv', 1)).code).toBe(0);

    const first = await runCliInProcess(backup, ['--config', w.config, '--to', backups, '--keep', '2']);
    expect(first.code, first.stderr).toBe(0);
    const firstFile = readdirSync(backups).find((f) => f.endsWith('.db')) as string;
    expect(first.stdout).toContain(firstFile);
    expect(statSync(backups).mode & 0o777).toBe(0o700);
    expect(statSync(join(backups, firstFile)).mode & 0o777).toBe(0o600);
    expect(existsSync(trailOf(join(backups, firstFile)))).toBe(true);

    expect((await batch('tuesday.csv', 2)).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      await pause();
      expect((await runCliInProcess(backup, ['--config', w.config, '--to', backups, '--keep', '2'])).code).toBe(0);
    }
    // Three taken, two kept: the oldest (and its trail) went.
    const kept = readdirSync(backups).filter((f) => f.endsWith('.db'));
    expect(kept).toHaveLength(2);
    expect(kept).not.toContain(firstFile);
    expect(readdirSync(backups).filter((f) => f.endsWith('.audit.jsonl'))).toHaveLength(2);
    expect(batchCount(w.db)).toBe(2);

    // An edited event in a backup: refused, naming it, and the live database untouched.
    const newest = join(backups, kept.sort().at(-1) as string);
    const tampered = join(w.ws, 'tampered.db');
    copyFileSync(newest, tampered);
    copyFileSync(trailOf(newest), trailOf(tampered));
    expect(execRawSql(tampered, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")).toBe(1);
    const before = sha256(w.db);
    const refused = await runCliInProcess(backup, ['--config', w.config, '--restore', tampered]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('does not verify');
    expect(refused.stdout).toContain('event 2');
    expect(sha256(w.db)).toBe(before);
    expect(readdirSync(backups).some((f) => f.startsWith('pre-restore-'))).toBe(false);

    // A third batch after the backup; restoring the backup brings back the two of its time.
    expect((await batch('wednesday.csv', 3)).code).toBe(0);
    expect(batchCount(w.db)).toBe(3);
    // Not while another process has the database open.
    const holder = openStore(w.db, { auditKeyring: null });
    const whileOpen = await runCliInProcess(backup, ['--config', w.config, '--restore', newest, '--to', backups]);
    holder.close();
    expect(whileOpen.code).toBe(2);
    expect(whileOpen.stderr).toContain('is open in another process');
    expect(batchCount(w.db)).toBe(3);
    const restored = await runCliInProcess(backup, ['--config', w.config, '--restore', newest, '--to', backups]);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(batchCount(w.db)).toBe(2);
    const preRestore = readdirSync(backups).find((f) => f.startsWith('pre-restore-') && f.endsWith('.db')) as string;
    expect(batchCount(join(backups, preRestore))).toBe(3);
    const verified = await runCliInProcess(verify, ['--config', w.config]);
    expect(verified.code, verified.stdout).toBe(0);
    const store = openStore(w.db, { auditKeyring: null });
    try {
      const head = store.audit.head();
      if (!head) throw new Error('no audit events after the restore');
      expect(head).toMatchObject({ action: 'database.restored', subject: kept.sort().at(-1) });
      expect((head.details as { backupHead: { seq: number } }).backupHead.seq).toBe(head.seq - 1);
    } finally {
      store.close();
    }
  }, 120_000);

  test('without --to or --restore it says what is needed', async () => {
    const w = spaces.workspace('usage');
    const r = await runCliInProcess(backup, ['--config', w.config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to DIR or --restore FILE is required');
  });
});
