import type { Worker } from 'node:worker_threads';
import type { AppConfig } from '../config/app-config';
import type { FeatureImportance } from '../drift/importance-drift';
import type { ModelMatrix } from '../preprocess/model-matrix';
import type { DriftReference } from '../registry/model-metadata';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../schema/columns';
import { spawnModuleWorker, WORKER_HEAP_LIMITS } from '../store/module-worker';
import type { PatientTable } from '../table/patient-table';
import type { BatchObserver } from './screen-file-types';

/**
 * Drift observation on a thread of its own: the calling thread only copies each chunk's 11 drift columns and its
 * scores into one buffer and transfers it; the drift thread keeps the batch's columns (drift-observer.ts's
 * createDriftObserver, the same code as in process) and tests them once the batch is read.
 */

export type ToDriftThread =
  | { type: 'chunk'; rowCount: number; values: Float64Array<ArrayBuffer> }
  | { type: 'finish'; referenceScores: Float64Array | null };
export type FromDriftThread =
  /** A chunk's buffer, given back once its values are kept: the next chunk is packed into it. */
  | { type: 'taken'; values: Float64Array<ArrayBuffer> }
  | { type: 'finished'; result: Awaited<ReturnType<BatchObserver['finish']>> }
  | { type: 'error'; message: string };

export interface DriftThreadSetup {
  reference: DriftReference;
  config: AppConfig['drift'];
  /** Rows the batch is expected to hold (the columns are sized by it). */
  expectedRows: number;
  /** The model's side of the drift tests; null for the feature tests alone. */
  model: { importance: readonly FeatureImportance[]; highCut: number } | null;
}

/** Columns per row in a chunk message: the 11 model features in MODEL_FEATURES order, then the score. */
export const DRIFT_CHUNK_WIDTH = MODEL_FEATURES.length + 1;

const RAW = new Set<string>(FEATURE_COLUMNS);

/**
 * Chunks on their way to the drift thread at most. Their buffers go back and forth: a buffer the drift thread let go
 * of would wait for its garbage collector (driven by its own small heap, not by these buffers) to be freed.
 */
const MAX_IN_FLIGHT = 2;

/** A chunk's drift columns (raw features as read, engineered ones as the model saw them) and scores, packed. */
export function packDriftChunk(
  table: PatientTable,
  matrix: ModelMatrix,
  scores: Float64Array,
  reuse?: ArrayBuffer,
): Float64Array<ArrayBuffer> {
  const n = table.rowCount;
  const length = n * DRIFT_CHUNK_WIDTH;
  const values =
    reuse && reuse.byteLength >= length * 8 ? new Float64Array(reuse, 0, length) : new Float64Array(length);
  MODEL_FEATURES.forEach((name, f) => {
    const source = RAW.has(name) ? table.features[name as (typeof FEATURE_COLUMNS)[number]] : matrix.columns[name];
    values.set(source.subarray(0, n), f * n);
  });
  values.set(scores.subarray(0, n), MODEL_FEATURES.length * n);
  return values;
}

/**
 * An observer whose work runs on a drift thread started now. `referenceScores` is asked for (on this thread, where
 * the model is) only when the batch has rows, as the in-process observer does.
 */
export function threadedDriftObserver(
  setup: DriftThreadSetup,
  referenceScores: (() => Promise<Float64Array>) | null,
): BatchObserver {
  const worker: Worker = spawnModuleWorker(import.meta.url, 'drift-worker', setup, WORKER_HEAP_LIMITS);
  // A batch abandoned without close() must not keep the process alive.
  worker.unref();
  let failure: Error | null = null;
  type Answer = Exclude<FromDriftThread, { type: 'taken' }>;
  let reply: ((m: Answer) => void) | null = null;
  let rows = 0;
  let closed = false;
  let inFlight = 0;
  const free: ArrayBuffer[] = [];
  let wake: (() => void) | null = null;
  const wakeUp = () => {
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  worker.on('message', (m: FromDriftThread) => {
    if (m.type !== 'taken') return reply?.(m);
    inFlight--;
    free.push(m.values.buffer);
    wakeUp();
  });
  worker.on('error', (error) => {
    failure = error;
    wakeUp();
    reply?.({ type: 'error', message: error.message });
  });
  worker.on('exit', (code) => {
    if (closed) return;
    failure ??= new Error(`the drift thread stopped (exit code ${code})`);
    wakeUp();
    reply?.({ type: 'error', message: failure.message });
  });
  const close = () => {
    if (closed) return;
    closed = true;
    wakeUp();
    void worker.terminate();
  };
  return {
    async chunk(table, matrix, scores) {
      while (inFlight >= MAX_IN_FLIGHT && !failure && !closed) await new Promise<void>((r) => (wake = r));
      if (failure || closed) return; // finish() reports it
      const values = packDriftChunk(table, matrix, scores, free.pop());
      rows += table.rowCount;
      inFlight++;
      worker.postMessage({ type: 'chunk', rowCount: table.rowCount, values } satisfies ToDriftThread, [values.buffer]);
    },
    async finish() {
      try {
        if (failure) throw failure;
        if (closed) throw new Error('the drift thread was closed before the batch was read');
        const reference = referenceScores && rows > 0 ? await referenceScores() : null;
        const answer = await new Promise<Answer>((resolvePromise) => {
          reply = resolvePromise;
          if (failure) resolvePromise({ type: 'error', message: (failure as Error).message });
          else worker.postMessage({ type: 'finish', referenceScores: reference } satisfies ToDriftThread);
        });
        if (answer.type === 'error') throw new Error(`drift detection failed: ${answer.message}`);
        return answer.result;
      } finally {
        close();
      }
    },
    close,
  };
}
