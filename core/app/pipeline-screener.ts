import { statSync } from 'node:fs';
import type { RetryConfig } from '../config/app-config';
import type { UnitsConfig } from '../schema/units';
import type { LoadedScreeningModel } from '../screening/load-model';
import { type BatchObserver, ScreenFailure, screenFile } from '../screening/screen-file';
import type { ShadowLoader } from '../screening/shadow-model';
import type { ScreeningThreads } from '../screening/threading-plan';
import type { Store } from '../store/store';
import { type LiveValue, readLive } from './live-settings';
import type { BatchScreener, BatchScreenOutcome } from './ports';

interface PipelineScreenerDeps {
  store: Store;
  /** The production model as the pipeline needs it, or why there is none. */
  model: () => Promise<{ ok: true; model: LoadedScreeningModel } | { ok: false; problem: string }>;
  outputDir: string;
  rejectedDir: string;
  retry: RetryConfig;
  borderlineBand?: LiveValue<number>;
  /** Drift detection per batch against the bundle's reference (not for a quick score: a batch of one). */
  observer?: (model: LoadedScreeningModel) => BatchObserver | null;
  now?: () => Date;
  /** Ingest settings from the configuration (units of undeclared columns, the longest line). */
  ingest?: { units?: UnitsConfig; maxLineLength?: number };
  /** The parse, score and store threads for big files, decided as the CLI decides; none: all on this thread. */
  threads?: ScreeningThreads;
  /** The model assigned as shadow, scored beside production on every batch (not on a quick score). */
  shadow?: ShadowLoader;
  /** Where a shadow's failure is logged (it is stored and audited with the batch either way). */
  logShadowFailure?: (batchId: number, version: string, error: string) => void;
}

/** The screener, and how to stop its worker threads. */
export interface PipelineScreener extends BatchScreener {
  close(): Promise<void>;
}

/** The app's BatchScreener: core/screening's screenFile, the CLI's own pipeline, with its outcomes as values. */
export function createPipelineScreener(deps: PipelineScreenerDeps): PipelineScreener {
  // The threads serve one batch at a time: an import started meanwhile runs on this thread.
  let threadsBusy = false;
  const fileBytes = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0; // missing file: screenFile reports it
    }
  };
  return {
    async screenFile(input): Promise<BatchScreenOutcome> {
      const loaded = await deps.model();
      if (!loaded.ok) return { ok: false, code: 'no-model', message: loaded.problem, report: null };
      input.onProgress?.({ phase: 'validating', done: 0, total: null });
      const threads = threadsBusy ? undefined : deps.threads;
      if (threads) threadsBusy = true;
      const outcome = await (async () => {
        const threaded = (await threads?.forFile(loaded.model, fileBytes(input.path))) ?? { model: loaded.model };
        const shadow = input.source === 'quick-score' ? null : ((await deps.shadow?.forBatch()) ?? null);
        return screenFile({
          inputPath: input.path,
          outputDir: deps.outputDir,
          rejectedDir: deps.rejectedDir,
          store: deps.store,
          ...threaded,
          actor: input.actor,
          source: input.source,
          retry: deps.retry,
          borderlineBand: deps.borderlineBand === undefined ? undefined : readLive(deps.borderlineBand),
          // A quick score of the same values twice is two scorings; a file imported twice is refused below.
          force: input.source === 'quick-score',
          ingest: deps.ingest,
          observer: input.source === 'quick-score' ? undefined : (deps.observer?.(loaded.model) ?? undefined),
          shadow,
          now: deps.now,
          onProgress: (p) => input.onProgress?.({ phase: 'scoring', done: p.rowsRead, total: p.rowsExpected || null }),
        });
      })()
        .catch((error: unknown) => {
          // A fault outside the file is an outcome the user must read (what failed, what is stored), not an
          // internal error: ScreenFailure's message names only the file, the stage and folders.
          if (error instanceof ScreenFailure) return { kind: 'failed' as const, message: error.message };
          throw error;
        })
        .finally(() => {
          if (threads) threadsBusy = false;
        });
      switch (outcome.kind) {
        case 'completed':
          if (outcome.shadow?.status === 'failed') {
            deps.logShadowFailure?.(outcome.batch.id, outcome.shadow.modelVersion, outcome.shadow.error ?? '');
          }
          input.onProgress?.({ phase: 'done', done: outcome.batch.rowsRead, total: outcome.batch.rowsRead });
          return { ok: true, batchId: outcome.batch.id, report: outcome.report };
        case 'rejected':
          return {
            ok: false,
            code: 'file-rejected',
            message: outcome.problems.join(' '),
            report: outcome.report,
          };
        case 'held':
          return {
            ok: false,
            code: 'file-held',
            message: `${outcome.batch.fileName} was held, not scored: ${outcome.hold.message}.`,
            report: outcome.report,
          };
        case 'duplicate': {
          const previous = outcome.previous[0];
          return {
            ok: false,
            code: 'conflict',
            message: `This file was already imported${previous ? ` on ${previous.startedAt} by ${previous.actor} (batch ${previous.id})` : ''}. Open it from the batch history.`,
            report: null,
          };
        }
        case 'failed':
          return { ok: false, code: 'screen-failed', message: outcome.message, report: null };
        case 'not-ready':
          return { ok: false, code: 'file-rejected', message: outcome.message, report: null };
      }
    },
    close: async () => {
      await Promise.all([deps.threads?.close(), deps.shadow?.close()]);
    },
  };
}
