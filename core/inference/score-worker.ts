import { parentPort, workerData } from 'node:worker_threads';
import { createOnnxScorer, type OnnxScorer, warmUpOnnxRuntime } from './onnx-session';

/**
 * An ONNX session on its own thread (worker-scorer.ts, split-scorer.ts): loads ONNX Runtime as it starts, opens
 * the model it is sent, then scores the rows it is sent, in order.
 */
const port = parentPort;
if (!port) throw new Error('score-worker must run as a worker thread');
const { featureCount } = workerData as { featureCount: number };
// Loading and setting up the runtime before the model arrives is the point of starting this thread early. A
// failure here is reported when the model is opened.
void warmUpOnnxRuntime().catch(() => undefined);

type Request =
  | { open: Uint8Array; intraOpNumThreads: number }
  | { id: number; input: Float32Array; rowCount: number }
  | { close: true };

let scorer: OnnxScorer | null = null;

async function handle(m: Request): Promise<void> {
  if ('open' in m) {
    try {
      scorer = await createOnnxScorer(m.open, { featureCount, intraOpNumThreads: m.intraOpNumThreads });
      port?.postMessage({ id: 0, ready: true });
    } catch (error) {
      port?.postMessage({ id: 0, ready: false, error: (error as Error).message });
    }
    return;
  }
  if ('close' in m) {
    // After every earlier request (the queue below): no run is in progress when the session is released.
    await scorer?.release();
    port?.close();
    return;
  }
  try {
    if (!scorer) throw new Error('no model is open on this scoring thread');
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
