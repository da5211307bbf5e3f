import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import { type FoldData, type FoldOutcome, prepareFolds, runFold } from './fold-task';
import { startWorkerPool } from './worker-pool';

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

/** Folds of every trial asked for, each run by the next free one of `count` worker threads. */
export async function workerRunner(data: BinnedDataset, folds: number[][], count: number): Promise<FoldRunner> {
  // One fold per job, taken by whichever worker is free: trials run back to back (a warm start's proposals are
  // all known) keep both workers busy instead of waiting for the worker that drew the odd fold.
  const pool = startWorkerPool(await workerEntry(), count, 'fold worker', { type: 'init', data, folds });
  const runFoldJob = async (config: Partial<TrainConfig>, foldId: number) =>
    (await pool.run<{ outcomes: FoldOutcome[] }>({ type: 'run', config, foldIds: [foldId] })).outcomes[0];
  return {
    workers: count,
    run: (config) => Promise.all(folds.map((_, foldId) => runFoldJob(config, foldId))),
    close: () => pool.close(),
  };
}
