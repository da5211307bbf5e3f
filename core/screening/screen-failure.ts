/**
 * A batch that failed part-way for a reason outside the file (a full disk, a locked database, a folder that cannot
 * be written): says what failed, in which stage, and what state the batch is left in, so that whoever reads it
 * knows whether to run the file again. Names the file and folders only, never a value from the file.
 */
export type ScreenStage =
  | 'starting the batch'
  | 'opening the output files'
  | 'reading and scoring'
  | 'storing'
  | 'committing'
  | 'moving the outputs into place';

const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full (ENOSPC)',
  EDQUOT: 'the disk quota is used up (EDQUOT)',
  EROFS: 'the file system is read-only (EROFS)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
  SQLITE_BUSY: 'the database is locked by another process (SQLITE_BUSY)',
  SQLITE_LOCKED: 'the database is locked (SQLITE_LOCKED)',
  SQLITE_FULL: 'the disk is full (SQLITE_FULL)',
  SQLITE_READONLY: 'the database is read-only (SQLITE_READONLY)',
};

/** A short description of an error's cause: its code's meaning when known, else its message. */
export function describeCause(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in CAUSES) return CAUSES[code];
  return error instanceof Error ? error.message : String(error);
}

export class ScreenFailure extends Error {
  readonly code: string | undefined;

  constructor(
    readonly fileName: string,
    readonly stage: ScreenStage,
    cause: unknown,
    /** The batch the failure left stored (it had committed), and whether its files were in place; else null. */
    readonly stored: { batchId: number; outputsInPlace: boolean } | null,
    outputDir: string,
  ) {
    const state =
      stored === null
        ? 'nothing of this batch was stored and its temporary files were removed; run the file again once this is fixed'
        : stored.outputsInPlace
          ? `batch ${stored.batchId} is stored and its output files are in place in ${outputDir}`
          : `batch ${stored.batchId} is stored; its output files are still under temporary names in ${outputDir}, and the next run of screen puts them in place`;
    super(`${fileName}: ${stage} failed: ${describeCause(cause)}; ${state}`, { cause });
    this.name = 'ScreenFailure';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}
