import type { RetryConfig } from '../config/app-config';
import type { LoadedScreeningModel } from '../screening/load-model';
import { type BatchObserver, screenFile } from '../screening/screen-file';
import type { Store } from '../store/store';
import type { BatchScreener, BatchScreenOutcome } from './ports';

interface PipelineScreenerDeps {
  store: Store;
  /** The production model as the pipeline needs it, or why there is none. */
  model: () => Promise<{ ok: true; model: LoadedScreeningModel } | { ok: false; problem: string }>;
  outputDir: string;
  rejectedDir: string;
  retry: RetryConfig;
  borderlineBand?: number;
  /** Drift detection per batch against the bundle's reference (not for a quick score: a batch of one). */
  observer?: (model: LoadedScreeningModel) => BatchObserver | null;
  now?: () => Date;
}

/** The app's BatchScreener: core/screening's screenFile, the CLI's own pipeline, with its outcomes as values. */
export function createPipelineScreener(deps: PipelineScreenerDeps): BatchScreener {
  return {
    async screenFile(input): Promise<BatchScreenOutcome> {
      const loaded = await deps.model();
      if (!loaded.ok) return { ok: false, code: 'no-model', message: loaded.problem, report: null };
      input.onProgress?.({ phase: 'validating', done: 0, total: null });
      const outcome = await screenFile({
        inputPath: input.path,
        outputDir: deps.outputDir,
        rejectedDir: deps.rejectedDir,
        store: deps.store,
        model: loaded.model,
        actor: input.actor,
        source: input.source,
        retry: deps.retry,
        borderlineBand: deps.borderlineBand,
        // A quick score of the same values twice is two scorings; a file imported twice is refused below.
        force: input.source === 'quick-score',
        observer: input.source === 'quick-score' ? undefined : (deps.observer?.(loaded.model) ?? undefined),
        now: deps.now,
        onProgress: (p) => input.onProgress?.({ phase: 'scoring', done: p.rowsRead, total: p.rowsExpected || null }),
      });
      switch (outcome.kind) {
        case 'completed':
          input.onProgress?.({ phase: 'done', done: outcome.batch.rowsRead, total: outcome.batch.rowsRead });
          return { ok: true, batchId: outcome.batch.id, report: outcome.report };
        case 'rejected':
          return {
            ok: false,
            code: 'file-rejected',
            message: outcome.problems.join(' '),
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
        case 'not-ready':
          return { ok: false, code: 'file-rejected', message: outcome.message, report: null };
      }
    },
  };
}
