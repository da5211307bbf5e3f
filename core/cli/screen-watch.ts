import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import type { LoadedScreeningModel } from '../screening/load-model';
import type { BatchObserver, ScreenOutcome } from '../screening/screen-file';
import type { ScreeningThreads } from '../screening/threading-plan';
import type { BatchRecord } from '../store/batch-repository';
import type { Store } from '../store/store';
import type { CliLog } from './cli-log';

/** What the screen command shares between files, and --watch: score each new batch_*.csv in a folder once. */

const EXIT_DONE = 0;
const EXIT_ERROR = 2;

export interface Context {
  config: AppConfig;
  store: Store;
  log: CliLog;
  out: (line: string) => void;
  /**
   * The parse, score and store threads for a file of this size (config screening.*Thread, threadMinBytes), started
   * on first need and reused; the app decides with the same plan (core/screening/threading-plan.ts).
   */
  threads?: ScreeningThreads;
  /** Drift detection on every batch (config drift.enabled). */
  makeObserver?: (model: LoadedScreeningModel) => BatchObserver | undefined;
}

export interface ScreenOneOptions {
  output?: string;
  force: boolean;
  progress: boolean;
  source: 'cli' | 'watch';
  duplicateStatuses?: readonly BatchRecord['status'][];
}

export type ScreenOne = (
  ctx: Context,
  model: LoadedScreeningModel,
  input: string,
  opts: ScreenOneOptions,
) => Promise<{ code: number; outcome: ScreenOutcome }>;

export async function watch(
  ctx: Context,
  model: LoadedScreeningModel,
  dir: string,
  once: boolean,
  screenOne: ScreenOne,
): Promise<number> {
  const seen = new Map<string, string>();
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  ctx.log.info(`watching ${dir} for batch_*.csv${once ? ' (one pass)' : ''}`);
  let worst: number = EXIT_DONE;
  while (!stop) {
    let names: string[] = [];
    try {
      names = readdirSync(dir)
        .filter((n) => /^batch_.*\.csv$/i.test(n))
        .sort();
    } catch (error) {
      ctx.log.error(`cannot read ${dir}: ${(error as Error).message}`);
      return EXIT_ERROR;
    }
    for (const name of names) {
      if (stop) break;
      const path = join(dir, name);
      let stamp: string;
      try {
        const s = statSync(path);
        stamp = `${s.size}:${s.mtimeMs}`;
      } catch {
        continue;
      }
      if (seen.get(name) === stamp) continue;
      // A file rejected before (same bytes) is not copied to rejected/ again on every pass (cron --once).
      const { code, outcome } = await screenOne(ctx, model, path, {
        force: false,
        progress: false,
        source: 'watch',
        duplicateStatuses: ['completed', 'rejected', 'held'],
      });
      // A file seen before (same sha256) is simply skipped; a file not ready yet is tried again next pass.
      if (outcome.kind !== 'not-ready') seen.set(name, stamp);
      if (outcome.kind !== 'duplicate') worst = Math.max(worst, code);
    }
    if (once) break;
    await new Promise((r) => setTimeout(r, ctx.config.screening.watchIntervalMs));
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return once ? worst : EXIT_DONE;
}
