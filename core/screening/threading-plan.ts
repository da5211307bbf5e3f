import type { BatchWriterHost } from '../store/batch-writer-host';
import { startWorkerWriterHost } from '../store/batch-writer-host';
import { type LoadedScreeningModel, screeningModelFromBundle } from './load-model';
import { type ParseHost, startParseHost } from './parse-host';
import { planThreads, type ThreadSettings } from './thread-plan';

export { NO_THREADS, planThreads, scoreThreadFromStart, type ThreadPlan, type ThreadSettings } from './thread-plan';

/** What screenFile takes for one file: the model to score with (maybe on its thread) and the hosts to use. */
export interface ThreadedOptions {
  model: LoadedScreeningModel;
  writerHost?: BatchWriterHost;
  parseHost?: ParseHost;
  /** The plan has decided already: a parse host given is used whatever the file's size. */
  parseInWorkerMinBytes: number;
}

export interface ScreeningThreads {
  /** Starts (once, then reuses) the threads the plan wants for a file of this size. */
  forFile(base: LoadedScreeningModel, fileBytes: number): Promise<ThreadedOptions>;
  /** Starts now the threads forced on, so that the first file does not wait for them. */
  warm(base: LoadedScreeningModel): Promise<void>;
  /**
   * Starts now, before the model is loaded, the threads that need no model (store, parse) for a file of this size
   * about to be screened; one that cannot start fails that file's batch.
   */
  prepare(fileBytes: number): void;
  /** Stops the score thread only: exiting while its ONNX session runs aborts the process. */
  closeScoreThread(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The worker threads of a screening process, started on first need and kept for the next file: a store writer
 * with its own connection to dbPath, the model's session on a score thread, and a parser.
 */
export function createScreeningThreads(settings: ThreadSettings, dbPath: string): ScreeningThreads {
  let writerHost: Promise<BatchWriterHost> | null = null;
  let parseHost: Promise<ParseHost> | null = null;
  let scoring: { base: LoadedScreeningModel; model: Promise<LoadedScreeningModel> } | null = null;

  const closeScoreThread = async () => {
    const open = scoring;
    scoring = null;
    await (await open?.model.catch(() => null))?.scorer.release();
  };
  const scoreModel = async (base: LoadedScreeningModel) => {
    // Already scoring on a thread of its own (its session was opened early): a second one would only cost.
    if (base.scorer.concurrent) return base;
    if (scoring?.base !== base) {
      await closeScoreThread();
      scoring = {
        base,
        model: screeningModelFromBundle(base.bundle, {
          riskCuts: base.riskCuts,
          intraOpNumThreads: settings.onnxThreads,
          scoreThread: true,
        }),
      };
    }
    return scoring.model;
  };
  // A thread that failed to start is started again next time instead of failing every later file.
  const writer = () => {
    if (!writerHost) {
      writerHost = startWorkerWriterHost(dbPath);
      writerHost.catch(() => {
        writerHost = null;
      });
    }
    return writerHost;
  };
  const parser = () => {
    if (!parseHost) {
      parseHost = startParseHost();
      parseHost.catch(() => {
        parseHost = null;
      });
    }
    return parseHost;
  };
  const threads: ScreeningThreads = {
    async forFile(base, fileBytes) {
      const plan = planThreads(settings, fileBytes);
      // The threads start at once (each loads its own modules). The file is checked and hashed while the store
      // thread starts: its host waits for the thread only when the batch begins.
      const [parserOn, model] = await Promise.all([
        plan.parse ? parser() : undefined,
        plan.score ? scoreModel(base) : base,
      ]);
      return {
        model,
        writerHost: plan.store ? onceStarted(writer()) : undefined,
        parseHost: parserOn,
        parseInWorkerMinBytes: 0,
      };
    },
    async warm(base) {
      // No file is smaller than -1 byte: 'auto' stays off. A thread forced on is waited for, so that a thread that
      // cannot start is reported now.
      await Promise.all([threads.forFile(base, -1), planThreads(settings, -1).store ? writer() : undefined]);
    },
    prepare(fileBytes) {
      const plan = planThreads(settings, fileBytes);
      if (plan.store) void writer().catch(() => undefined);
      if (plan.parse) void parser().catch(() => undefined);
    },
    closeScoreThread,
    async close() {
      const [openWriter, openParser] = [writerHost, parseHost];
      writerHost = null;
      parseHost = null;
      await Promise.all([
        closeScoreThread(),
        openWriter?.then((w) => w.close()).catch(() => undefined),
        openParser?.then((p) => p.close()).catch(() => undefined),
      ]);
    },
  };
  return threads;
}

/**
 * A writer host whose thread may still be starting: a batch begins once it has (and fails, storing nothing, if it
 * could not start). Closing is left to the threads' owner.
 */
function onceStarted(starting: Promise<BatchWriterHost>): BatchWriterHost {
  return {
    begin: async (meta) => (await starting).begin(meta),
    close: async () => undefined,
  };
}
