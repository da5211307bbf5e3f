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

/** Folds dealt round-robin over `count` worker threads (fold i to worker i mod count). */
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
  let nextJob = 0;
  const call = (worker: Worker, config: Partial<TrainConfig>, foldIds: number[]) =>
    new Promise<FoldOutcome[]>((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      const jobId = nextJob++;
      pending.set(jobId, { resolve, reject });
      worker.postMessage({ type: 'run', jobId, config, foldIds });
    });
  return {
    workers: count,
    async run(config) {
      const assignment: number[][] = Array.from({ length: count }, () => []);
      folds.forEach((_, i) => {
        assignment[i % count].push(i);
      });
      const results = await Promise.all(workers.map((w, k) => call(w, config, assignment[k])));
      const out: FoldOutcome[] = new Array(folds.length);
      results.forEach((outcomes, k) => {
        assignment[k].forEach((foldId, j) => {
          out[foldId] = outcomes[j];
        });
      });
      return out;
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
