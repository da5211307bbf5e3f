import type { ValidationReportDto } from './outputs';

/**
 * Expected failures travel as values, never as exceptions: Electron reduces a thrown error to its message,
 * and HTTP would do the same, so a typed error code is the only thing both transports keep intact.
 */

const ERROR_CODES = [
  /** The argument did not match the method's schema. */
  'invalid-argument',
  /** No one is signed in. */
  'unauthenticated',
  /** The session is locked; only unlock / sign-out work. */
  'locked',
  /** Signed in, but the role does not allow this method. */
  'forbidden',
  /** Wrong username or password. */
  'bad-credentials',
  /** The thing asked for does not exist. */
  'not-found',
  /** The request conflicts with the current state (admin exists already, username taken). */
  'conflict',
  /** The uploaded file could not be used at all; `report` says why. Nothing was stored. */
  'file-rejected',
  /**
   * The file was read but not scored: its values as a whole look like another unit or scale (the message says
   * which column and what to do). The batch is recorded as held; no patient was stored. `report` is attached.
   */
  'file-held',
  /**
   * Screening the file stopped part-way for a reason outside the file (a full disk, a locked database, a folder
   * that cannot be written). The message names the file, the stage and what state the batch is left in (nothing
   * stored, or which batch is stored), never a value from the file, so the UI shows it as it is.
   */
  'screen-failed',
  /** No usable production model is installed. */
  'no-model',
  /** The method exists in the contract but this build has no backend for it yet. */
  'not-implemented',
  /** An unexpected fault; the message is safe to show, details are in the main-process log. */
  'internal',
] as const;
type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Only for `file-rejected` and `file-held`: the validation report, so the UI can show the table even when nothing was stored. */
  report?: ValidationReportDto;
  /** Only for refused settings: one entry per wrong value, naming its key ('risk.cuts.high'), for inline messages. */
  problems?: { path: string; message: string }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: ErrorCode,
  message: string,
  extra?: Pick<ApiError, 'report' | 'problems'>,
): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}
