import { closeSync, openSync, statSync } from 'node:fs';
import type { RetryConfig } from '../config/app-config';

/**
 * A batch file may still be copied in, or held open with a lock by the program that exports it. Wait until
 * its size and mtime stay still for `stableWindowMs` and it can be opened, retrying with exponential back-off.
 */
export class FileNotReadyError extends Error {
  constructor(
    readonly reason: 'growing' | 'locked' | 'missing',
    readonly attempts: number,
    message: string,
  ) {
    super(message);
    this.name = 'FileNotReadyError';
  }
}

interface Readiness {
  /** Retries needed (0 when the file was ready at once). */
  retries: number;
  size: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LOCK_CODES = new Set(['EBUSY', 'EACCES', 'EPERM', 'EAGAIN']);

function backoffDelay(retry: RetryConfig, attempt: number): number {
  return Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.backoffFactor ** attempt);
}

export async function awaitReadyFile(path: string, retry: RetryConfig, displayName = path): Promise<Readiness> {
  let reason: 'growing' | 'locked' = 'growing';
  for (let attempt = 0; ; attempt++) {
    try {
      const first = statSync(path);
      const age = Date.now() - first.mtimeMs;
      // A file untouched for the whole window is stable already; only a fresh one is watched for a while.
      if (age < retry.stableWindowMs) await sleep(retry.stableWindowMs - Math.max(0, age));
      const second = statSync(path);
      if (second.size === first.size && second.mtimeMs === first.mtimeMs) {
        closeSync(openSync(path, 'r'));
        return { retries: attempt, size: second.size };
      }
      reason = 'growing';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT') {
        throw new FileNotReadyError('missing', attempt + 1, `${displayName} does not exist`);
      }
      if (!LOCK_CODES.has(code)) throw error;
      reason = 'locked';
    }
    if (attempt >= retry.attempts) {
      throw new FileNotReadyError(
        reason,
        attempt + 1,
        `${displayName} is ${reason === 'locked' ? 'locked by another program' : 'still being written'} after ${
          attempt + 1
        } attempts; try again later`,
      );
    }
    await sleep(backoffDelay(retry, attempt));
  }
}
