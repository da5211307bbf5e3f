/**
 * A test-only hook that kills the process at a stage boundary of screening a file, so that tests can check that
 * the database and the output files agree after a crash at each one. Honoured only when NODE_ENV is "test" AND
 * GLUCOSCREEN_TEST_FAULTS is "1": a production process never reads GLUCOSCREEN_FAULT.
 */
export type FaultPoint = 'after-parse' | 'after-store' | 'after-commit' | 'after-rename';

export const FAULT_POINTS: readonly FaultPoint[] = ['after-parse', 'after-store', 'after-commit', 'after-rename'];

export function faultPoint(point: FaultPoint): void {
  if (process.env.NODE_ENV !== 'test' || process.env.GLUCOSCREEN_TEST_FAULTS !== '1') return;
  if (process.env.GLUCOSCREEN_FAULT !== point) return;
  process.kill(process.pid, 'SIGKILL');
}
