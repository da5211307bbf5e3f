/**
 * A test-only hook that fails screening a file at a stage boundary, so that tests can check that the database and
 * the output files agree after each kind of failure at each one. Honoured only when NODE_ENV is "test" AND
 * GLUCOSCREEN_TEST_FAULTS is "1": a production process never reads GLUCOSCREEN_FAULT or GLUCOSCREEN_FAULT_KIND.
 *
 * GLUCOSCREEN_FAULT names the point; GLUCOSCREEN_FAULT_KIND the failure (default `kill`). Every kind but `kill`
 * throws the error the operating system or SQLite would raise there, with the same code, so that the code under
 * test cannot tell it from the real one.
 */
export type FaultPoint = 'after-parse' | 'after-score' | 'after-store' | 'after-commit' | 'after-rename';

export const FAULT_POINTS: readonly FaultPoint[] = [
  'after-parse',
  'after-score',
  'after-store',
  'after-commit',
  'after-rename',
];

export type FaultKind = 'kill' | 'disk-full' | 'database-locked' | 'read-only' | 'access-denied';

export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'disk-full', 'database-locked', 'read-only', 'access-denied'];

/** The error each kind raises: what Node's fs (errno, syscall) or better-sqlite3 (SqliteError) would throw. */
export function faultError(kind: Exclude<FaultKind, 'kill'>): Error {
  const errno = (code: string, number: number, text: string, syscall: string) =>
    Object.assign(new Error(`${code}: ${text}, ${syscall}`), { code, errno: -number, syscall });
  switch (kind) {
    case 'disk-full':
      return errno('ENOSPC', 28, 'no space left on device', 'write');
    case 'read-only':
      return errno('EROFS', 30, 'read-only file system', 'open');
    case 'access-denied':
      return errno('EACCES', 13, 'permission denied', 'open');
    case 'database-locked':
      return Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });
  }
}

function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

export function faultPoint(point: FaultPoint): void {
  if (process.env.NODE_ENV !== 'test' || process.env.GLUCOSCREEN_TEST_FAULTS !== '1') return;
  if (process.env.GLUCOSCREEN_FAULT !== point) return;
  const kind = process.env.GLUCOSCREEN_FAULT_KIND ?? 'kill';
  if (!isFaultKind(kind)) throw new Error(`unknown GLUCOSCREEN_FAULT_KIND ${kind}`);
  if (kind === 'kill') process.kill(process.pid, 'SIGKILL');
  else throw faultError(kind);
}
