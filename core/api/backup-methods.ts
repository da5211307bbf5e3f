import { z } from 'zod';
import { NoInput } from './inputs';
import { method } from './method-spec';

export interface BackupFileDto {
  /** The file name in the app's backups folder. */
  file: string;
  bytes: number;
  takenAt: string;
}

export interface BackupTakenDto {
  file: string;
  /** The backups kept after rotation (config backup.keep), newest first. */
  kept: string[];
  removed: string[];
}

export interface RestoreDoneDto {
  restoredFrom: string;
  /** Where the replaced database was kept (in the backups folder). */
  preRestoreCopy: string | null;
  backupHead: { seq: number; hash: string } | null;
}

/** The word an admin types to confirm a restore, so it cannot happen by a stray click. */
export const RESTORE_CONFIRMATION = 'RESTORE';

export const RestoreDatabaseInput = z.strictObject({
  /** A backup's file name as listBackups gives it (a name, not a path). */
  file: z.string().regex(/^glucoscreen-[0-9TZ-]+\.db$/, 'a backup file name from the list'),
  confirm: z.literal(RESTORE_CONFIRMATION, { message: `type ${RESTORE_CONFIRMATION} to confirm` }),
});

/** Backups of the app's database (with its audit trail), and restoring one. */
export const backupMethods = {
  listBackups: method(NoInput, 'admin').returns<BackupFileDto[]>(),
  /** An online backup into the backups folder, rotated; audited. */
  backupDatabase: method(NoInput, 'admin').returns<BackupTakenDto>(),
  /**
   * Replaces the database with a backup whose audit chain verifies (refused with the verifier's findings otherwise);
   * the app reopens its store. Audited in the restored chain.
   */
  restoreDatabase: method(RestoreDatabaseInput, 'admin').returns<RestoreDoneDto>(),
} as const;
