import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker, WORKER_HEAP_LIMITS } from '../store/module-worker';
import type { OnnxScorer } from './onnx-session';
import { turnOffOnnxTelemetry } from './onnx-telemetry';

/**
 * A score thread started before its model is known: it loads ONNX Runtime at once, so that a process can start
 * it first thing and hand it the model once the bundle is verified, the runtime's loading overlapping the rest of
 * its start-up. Released unopened, it just exits.
 */
export interface ScoreThread {
  /** Opens the session on the thread; at most once. */
  open(model: Uint8Array, intraOpNumThreads?: number): Promise<OnnxScorer>;
  release(): Promise<void>;
}

export function startScoreThread(featureCount: number): ScoreThread {
  // Set before the thread starts: its runtime reads the switch from the process's environment, and the thread
  // refuses to load the runtime unless its own copy of the environment has it too.
  turnOffOnnxTelemetry();
  const worker = spawnModuleWorker(import.meta.url, 'score-worker', { featureCount }, WORKER_HEAP_LIMITS);
  // Resolves when the thread is gone, however it ended (closed, terminated or crashed).
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  let gone = false;
  let startError: Error | null = null;
  worker.once('error', (error) => {
    startError = error;
  });
  void exited.then(() => {
    gone = true;
  });
  const release = async () => {
    if (gone) return;
    // Asked to close its session and exit once its current run is done: terminating a thread in the middle of
    // an ONNX Runtime run aborts the whole process. terminate() only if it does not exit in time.
    worker.postMessage({ close: true });
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  };
  let opened = false;
  return {
    release,
    async open(model, intraOpNumThreads = 1) {
      if (opened) throw new Error('this score thread has opened its session already');
      opened = true;
      try {
        if (startError || gone) throw startError ?? new Error('the scoring thread stopped before it opened its model');
        await new Promise<void>((resolve, reject) => {
          const onExit = () => reject(startError ?? new Error('the scoring thread stopped before it opened its model'));
          const onError = (error: Error) => reject(error);
          worker.once('error', onError);
          worker.once('exit', onExit);
          worker.once('message', (m: { ready?: boolean; error?: string }) => {
            worker.off('error', onError);
            worker.off('exit', onExit);
            if (m.ready) resolve();
            else reject(new Error(m.error ?? 'the scoring thread did not start'));
          });
          // A copy is sent, so that the caller keeps its bytes.
          worker.postMessage({ open: model.slice(), intraOpNumThreads });
        });
      } catch (error) {
        await release();
        throw error;
      }
      return scorerOn(worker, exited, featureCount, release);
    },
  };
}

/**
 * The ONNX session on a worker thread: scoreInto resolves when the worker has scored the rows, and this thread is
 * free meanwhile, so the batch pipeline (screen-file.ts) parses the next chunk while the worker scores this one.
 * Requests are answered in order; several may be in flight.
 */
export function createWorkerScorer(
  model: Uint8Array,
  featureCount: number,
  intraOpNumThreads = 1,
): Promise<OnnxScorer> {
  return startScoreThread(featureCount).open(model, intraOpNumThreads);
}

function scorerOn(
  worker: Worker,
  exited: Promise<void>,
  featureCount: number,
  release: () => Promise<void>,
): OnnxScorer {
  const pending = new Map<number, { resolve: (s: Float64Array) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;
  worker.on('message', (m: { id: number; scores?: Float64Array; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.scores) p.resolve(m.scores);
    else p.reject(new Error(m.error ?? 'the scoring thread failed'));
  });
  void exited.then(() => {
    // A request still waiting would never be answered.
    failure ??= new Error('the scoring thread stopped');
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  });
  worker.on('error', (error) => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  return {
    featureCount,
    concurrent: true,
    async scoreInto(input, rowCount, out, offset = 0) {
      if (rowCount === 0) return;
      if (failure) throw failure;
      if (input.length < rowCount * featureCount) {
        throw new RangeError(
          `input holds ${input.length} values, fewer than ${rowCount} rows x ${featureCount} features`,
        );
      }
      const scores = await new Promise<Float64Array>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        // A copy is transferred, so the caller may reuse its buffer at once.
        const copy = input.slice(0, rowCount * featureCount);
        worker.postMessage({ id, input: copy, rowCount }, [copy.buffer]);
      });
      if (scores.length !== rowCount) {
        throw new Error(`the scoring thread returned ${scores.length} scores for ${rowCount} rows`);
      }
      out.set(scores, offset);
    },
    release,
  };
}
