import type { Worker } from 'node:worker_threads';
import type { CsvIngestOptions } from '../ingest/ingest-options';
import type { ValidationReport } from '../ingest/validation-report';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import { spawnModuleWorker } from '../store/module-worker';
import type { PatientTable } from '../table/patient-table';

/**
 * Parsing and validation (core/ingest's CsvIngest) on a worker thread, so that on a 2-core machine the next chunk
 * is parsed while this thread scores and writes the last one. Same shape as CsvIngest: chunks(), then report and
 * sha256. A persistent worker: start it once, use it for one file at a time.
 */
export interface IngestLike {
  readonly report: ValidationReport;
  readonly sha256: string | null;
  chunks(): AsyncGenerator<PatientTable>;
}

export type ToParser =
  | { type: 'hello' }
  | { type: 'ingest'; run: number; path: string; options: CsvIngestOptions }
  | { type: 'ack' }
  | { type: 'cancel' };
export type FromParser =
  | { type: 'ready' }
  | { type: 'chunk'; run: number; rowCount: number; ids: string[]; lineNumbers: Uint32Array; values: Float64Array }
  | { type: 'done'; run: number; report: ValidationReport; sha256: string | null }
  | { type: 'error'; run?: number; message: string };

export interface ParseHost {
  ingest(path: string, options: CsvIngestOptions): IngestLike;
  close(): Promise<void>;
}

export async function startParseHost(): Promise<ParseHost> {
  const worker: Worker = spawnModuleWorker(import.meta.url, 'parse-worker', null);
  let listener: ((m: FromParser) => void) | null = null;
  let crashed: Error | null = null;
  worker.on('message', (m: FromParser) => listener?.(m));
  worker.on('error', (error) => {
    crashed = error;
    listener?.({ type: 'error', message: error.message });
  });
  await new Promise<void>((resolvePromise, reject) => {
    listener = (m) =>
      m.type === 'ready' ? resolvePromise() : reject(new Error(m.type === 'error' ? m.message : m.type));
    worker.postMessage({ type: 'hello' } satisfies ToParser);
  });
  let busy = false;
  /** Each file gets a run number; messages of an abandoned run still in the channel are dropped. */
  let runs = 0;

  return {
    ingest(path, options) {
      const state: { report: ValidationReport | null; sha256: string | null } = { report: null, sha256: null };
      return {
        get report() {
          if (!state.report) throw new Error('the report is complete only once chunks() has finished');
          return state.report;
        },
        get sha256() {
          return state.sha256;
        },
        async *chunks() {
          if (crashed) throw crashed;
          if (busy) throw new Error('the parse worker is reading another file');
          busy = true;
          const queue: FromParser[] = [];
          let wake: (() => void) | null = null;
          const run = ++runs;
          listener = (m) => {
            if ('run' in m && m.run !== undefined && m.run !== run) return;
            queue.push(m);
            wake?.();
            wake = null;
          };
          try {
            worker.postMessage({ type: 'ingest', run, path, options } satisfies ToParser);
            for (;;) {
              if (queue.length === 0) await new Promise<void>((r) => (wake = r));
              const m = queue.shift() as FromParser;
              if (m.type === 'error') throw new Error(m.message);
              if (m.type === 'done') {
                state.report = m.report;
                state.sha256 = m.sha256;
                return;
              }
              if (m.type !== 'chunk') continue;
              const n = m.rowCount;
              const features = {} as Record<FeatureName, Float64Array>;
              FEATURE_COLUMNS.forEach((name, f) => {
                features[name] = m.values.subarray(f * n, (f + 1) * n);
              });
              worker.postMessage({ type: 'ack' } satisfies ToParser);
              yield { rowCount: n, ids: m.ids, lineNumbers: m.lineNumbers, features, outcome: null };
            }
          } finally {
            // Abandoned mid-file (the caller failed or stopped): the parse thread stops reading it.
            if (!state.report) worker.postMessage({ type: 'cancel' } satisfies ToParser);
            busy = false;
            listener = null;
          }
        },
      };
    },
    async close() {
      await worker.terminate();
    },
  };
}
