/**
 * Whether a process of this host exists: a process of another user counts (signal 0 is refused, not unknown).
 * Crash recovery uses it to tell what a live process is still writing from what a killed one left behind.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
