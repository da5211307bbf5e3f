import { parentPort, workerData } from 'node:worker_threads';
import { createOnnxScorer } from './onnx-session';

/** An ONNX session on its own thread (worker-scorer.ts, split-scorer.ts): scores the rows it is sent, in order. */
const port = parentPort;
if (!port) throw new Error('score-worker must run as a worker thread');
const { model, featureCount, intraOpNumThreads } = workerData as {
  model: Uint8Array;
  featureCount: number;
  intraOpNumThreads?: number;
};
// Not a top-level await: the Electron build bundles the workers as CommonJS. A failed start rejects unhandled,
// which ends the thread with an error event, as a thrown error would.
const starting = createOnnxScorer(model, { featureCount, intraOpNumThreads: intraOpNumThreads ?? 1 });
type Request = { id: number; input: Float32Array; rowCount: number } | { close: true };

async function handle(m: Request): Promise<void> {
  const scorer = await starting;
  if ('close' in m) {
    // After every earlier request (the queue below): no run is in progress when the session is released.
    await scorer.release();
    port?.close();
    return;
  }
  try {
    const out = new Float64Array(m.rowCount);
    await scorer.scoreInto(m.input, m.rowCount, out);
    port?.postMessage({ id: m.id, scores: out }, [out.buffer]);
  } catch (error) {
    port?.postMessage({ id: m.id, error: (error as Error).message });
  }
}

// One request at a time, in arrival order (scoreInto awaits, so handlers would otherwise interleave).
let queue = Promise.resolve();
port.on('message', (m: Request) => {
  queue = queue.then(() => handle(m));
});
void starting.then(() => port.postMessage({ id: 0, ready: true }));
