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
const scorer = await createOnnxScorer(model, { featureCount, intraOpNumThreads: intraOpNumThreads ?? 1 });
port.on('message', async (m: { id: number; input: Float32Array; rowCount: number }) => {
  try {
    const out = new Float64Array(m.rowCount);
    await scorer.scoreInto(m.input, m.rowCount, out);
    port.postMessage({ id: m.id, scores: out }, [out.buffer]);
  } catch (error) {
    port.postMessage({ id: m.id, error: (error as Error).message });
  }
});
port.postMessage({ id: 0, ready: true });
