import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { AuditKeyring } from '../audit-key/keyring';
import { verifyAuditIntegrity } from '../store/audit-integrity';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';

/** Backups this module rotates; a pre-restore copy is named otherwise and kept until removed by hand. */
const BACKUP_PREFIX = 'glucoscreen-';
const BACKUP_SUFFIX = '.db';
/** The audit trail copied beside each backup, so a restored database and its trail agree. */
export const trailOf = (backupFile: string) => `${backupFile.slice(0, -BACKUP_SUFFIX.length)}.audit.jsonl`;

/** A file name that sorts by time: glucoscreen-2026-12-05T22-15-03-123Z.db */
export function backupFileName(at: Date, prefix = BACKUP_PREFIX): string {
  return `${prefix}${at.toISOString().replaceAll(':', '-').replace('.', '-')}${BACKUP_SUFFIX}`;
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export interface BackupResult {
  file: string;
  /** The backups in the folder after rotation, newest first. */
  kept: string[];
  removed: string[];
}

/** The rotated backups of a folder, newest first. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(BACKUP_PREFIX) && name.endsWith(BACKUP_SUFFIX))
    .sort()
    .reverse()
    .map((name) => join(dir, name));
}

/**
 * An online backup of the store into `dir` (0700): the database (0600) and a copy of its audit trail, written under
 * a temporary name and renamed when complete, so a crash leaves no half backup that looks whole. The event recording
 * the backup is appended first, so the backup holds it as its chain head. Then only the newest `keep` are kept.
 */
export async function createBackup(options: {
  store: Store;
  dir: string;
  keep: number;
  actor: string;
  now: Date;
}): Promise<BackupResult> {
  const { store, dir } = options;
  privateFolder(dir);
  const file = join(dir, backupFileName(options.now));
  if (existsSync(file)) throw new Error(`a backup named ${basename(file)} exists already`);
  store.audit.append({
    actor: options.actor,
    action: 'database.backed-up',
    subject: basename(file),
    details: { keep: options.keep },
  });
  const partial = `${file}.partial`;
  try {
    await store.backup(partial);
    chmodSync(partial, 0o600);
    fsyncFile(partial);
    const trail = store.audit.trailPath;
    if (trail && existsSync(trail)) {
      copyFileSync(trail, trailOf(file));
      chmodSync(trailOf(file), 0o600);
      fsyncFile(trailOf(file));
    }
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(trailOf(file), { force: true });
    throw error;
  }
  const all = listBackups(dir);
  const removed = all.slice(options.keep);
  for (const old of removed) {
    rmSync(old, { force: true });
    rmSync(trailOf(old), { force: true });
  }
  return { file, kept: all.slice(0, options.keep), removed };
}

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

export interface RestoreResult {
  restoredFrom: string;
  /** Where the replaced database was kept. */
  preRestoreCopy: string | null;
  /** The backup's chain head (seq and hash) before the restore event was appended. */
  backupHead: { seq: number; hash: string } | null;
}

/**
 * Replaces the database at `dbPath` (and its audit trail) with a backup. Nothing is touched until a copy of the
 * backup, beside the database, passes the audit verifier (the same one `audit:verify` runs) with this installation's
 * key; a backup that fails is refused with the verifier's findings. The replaced database is kept in `backupDir` as
 * pre-restore-<time>.db, and the restored chain records the restore. The store on `dbPath` must be closed by
 * `beforeReplace` at the latest (called once the backup has verified, before anything of the database is touched).
 */
export async function restoreBackup(options: {
  dbPath: string;
  trailPath: string;
  backupFile: string;
  backupDir: string;
  actor: string;
  now: Date;
  keyring?: AuditKeyring | null;
  beforeReplace?: () => Promise<void>;
}): Promise<RestoreResult> {
  const { dbPath, trailPath, backupFile } = options;
  if (!existsSync(backupFile)) throw new RestoreRefused(`no backup at ${backupFile}`);
  const staging = `${dbPath}.restoring`;
  const stagingTrail = `${trailPath}.restoring`;
  const cleanUp = () => {
    for (const path of [staging, `${staging}-wal`, `${staging}-shm`, stagingTrail]) rmSync(path, { force: true });
  };
  cleanUp();
  let backupHead: RestoreResult['backupHead'] = null;
  try {
    copyFileSync(backupFile, staging);
    const backupTrail = trailOf(backupFile);
    if (existsSync(backupTrail)) copyFileSync(backupTrail, stagingTrail);
    const staged = openStore(staging, {
      auditTrailPath: stagingTrail,
      auditKeyring: options.keyring,
      now: () => options.now,
    });
    try {
      const verdict = verifyAuditIntegrity(staged);
      if (!verdict.ok) {
        const found = verdict.problems.map((p) => `event ${p.seq}: ${p.message}`).join('; ');
        throw new RestoreRefused(
          `${basename(backupFile)} was not restored: its audit chain does not verify (${found})`,
        );
      }
      const head = staged.audit.head();
      backupHead = head ? { seq: head.seq, hash: head.hash } : null;
      staged.audit.append({
        actor: options.actor,
        action: 'database.restored',
        subject: basename(backupFile),
        details: { backup: basename(backupFile), backupHead },
      });
    } finally {
      staged.close();
    }
    fsyncFile(staging);
    if (existsSync(stagingTrail)) fsyncFile(stagingTrail);
  } catch (error) {
    cleanUp();
    throw error;
  }
  try {
    await options.beforeReplace?.();
  } catch (error) {
    cleanUp();
    throw error;
  }
  let preRestoreCopy: string | null = null;
  if (existsSync(dbPath)) {
    privateFolder(options.backupDir);
    preRestoreCopy = join(options.backupDir, backupFileName(options.now, 'pre-restore-'));
    copyFileSync(dbPath, preRestoreCopy);
    chmodSync(preRestoreCopy, 0o600);
    if (existsSync(trailPath)) copyFileSync(trailPath, trailOf(preRestoreCopy));
  }
  // The old connection's WAL and shared memory belong to the replaced file.
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  renameSync(staging, dbPath);
  if (existsSync(stagingTrail)) renameSync(stagingTrail, trailPath);
  else rmSync(trailPath, { force: true });
  return { restoredFrom: backupFile, preRestoreCopy, backupHead };
}
