import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import { type FoldData, type FoldOutcome, prepareFolds, runFold } from './fold-task';

/**
 * Runs the folds of one trial and returns each fold's held-out margins and model, indexed by fold. Results do not
 * depend on the number of workers: every fold is trained from the same inputs with the same seed.
 */
export interface FoldRunner {
  readonly workers: number;
  run(config: Partial<TrainConfig>): Promise<FoldOutcome[]>;
  close(): Promise<void>;
}

export function inProcessRunner(data: BinnedDataset, folds: number[][]): FoldRunner {
  const prepared: FoldData[] = prepareFolds(data, folds);
  return {
    workers: 0,
    run: async (config) => prepared.map((fold) => runFold(fold, config)),
    close: async () => {},
  };
}

/**
 * The worker script. In a bundle (dist/cli/, the Electron build) it is the fold-worker entry bundled beside this
 * code (scripts/cli-entries.json). From the TypeScript sources it is bundled with esbuild into a temporary .mjs once
 * per process (so every worker of a run executes the same code, even if sources change while a long run is going):
 * passing tsx's loader to the worker through execArgv was tried and is racy on Node 20 (the worker sometimes loads its
 * .ts entry before the loader hooks are registered: "Unknown file extension .ts"), so the worker always runs plain
 * JavaScript.
 */
let bundled: Promise<URL> | null = null;

export function workerEntry(): Promise<URL> {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return Promise.resolve(new URL(`./fold-worker.${here.endsWith('.cjs') ? 'cjs' : 'js'}`, here));
  bundled ??= (async () => {
    const source = new URL('./fold-worker.ts', here);
    const { build } = await import('esbuild');
    const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fold-worker-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'fold-worker.mjs');
    await build({
      entryPoints: [fileURLToPath(source)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
    return pathToFileURL(outfile);
  })();
  return bundled;
}

type Reply =
  | { type: 'ready' }
  | { type: 'done'; jobId: number; outcomes: FoldOutcome[] }
  | { type: 'error'; jobId: number; message: string };

/** Folds of every trial asked for, each run by the next free one of `count` worker threads. */
export async function workerRunner(data: BinnedDataset, folds: number[][], count: number): Promise<FoldRunner> {
  const entry = await workerEntry();
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (m: FoldOutcome[]) => void; reject: (e: Error) => void }>();
  // A worker that died (load error, crash) fails every current and later job instead of hanging.
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const job of pending.values()) job.reject(failure);
    pending.clear();
  };
  let closing = false;
  try {
    for (let w = 0; w < count; w++) {
      const worker = new Worker(entry, { execArgv: [] });
      worker.on('message', (reply: Reply) => {
        if (reply.type === 'ready') return;
        const job = pending.get(reply.jobId);
        if (!job) return;
        pending.delete(reply.jobId);
        if (reply.type === 'done') job.resolve(reply.outcomes);
        else job.reject(new Error(`fold worker failed: ${reply.message}`));
      });
      worker.on('error', (error) => fail(new Error(`fold worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!closing) fail(new Error(`fold worker exited unexpectedly (code ${code})`));
      });
      worker.postMessage({ type: 'init', data, folds });
      workers.push(worker);
    }
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  // One fold per job, taken by whichever worker is free: trials run back to back (a warm start's proposals are
  // all known) keep both workers busy instead of waiting for the worker that drew the odd fold.
  let nextJob = 0;
  const queue: { jobId: number; config: Partial<TrainConfig>; foldId: number }[] = [];
  const idle = [...workers];
  const busy = new Map<number, Worker>();
  const dispatch = () => {
    if (failure) queue.length = 0;
    while (idle.length > 0 && queue.length > 0) {
      const job = queue.shift() as (typeof queue)[number];
      const worker = idle.shift() as Worker;
      busy.set(job.jobId, worker);
      worker.postMessage({ type: 'run', jobId: job.jobId, config: job.config, foldIds: [job.foldId] });
    }
  };
  const settle = (jobId: number) => {
    const worker = busy.get(jobId);
    busy.delete(jobId);
    if (worker) idle.push(worker);
    dispatch();
  };
  const runFoldJob = (config: Partial<TrainConfig>, foldId: number) =>
    new Promise<FoldOutcome>((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      const jobId = nextJob++;
      pending.set(jobId, {
        resolve: (outcomes) => {
          settle(jobId);
          resolve(outcomes[0]);
        },
        reject: (error) => {
          settle(jobId);
          reject(error);
        },
      });
      queue.push({ jobId, config, foldId });
      dispatch();
    });
  return {
    workers: count,
    run: (config) => Promise.all(folds.map((_, foldId) => runFoldJob(config, foldId))),
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
