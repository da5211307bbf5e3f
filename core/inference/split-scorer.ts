import { spawnModuleWorker } from '../store/module-worker';
import { createOnnxScorer, type OnnxScorer } from './onnx-session';

/**
 * Two ONNX sessions, one on this thread and one on a worker, each with one intra-op thread, scoring the two
 * halves of every chunk at the same time. Why: with intraOpNumThreads 2, one run of the tree ensemble took as
 * much wall time as CPU time here (no overlap). Caveat: this machine was busy with other work while measured
 * (two busy JS threads also got one core's worth), so whether either way uses two idle cores is unmeasured.
 */
export async function createSplitScorer(model: Uint8Array, featureCount: number): Promise<OnnxScorer> {
  const local = await createOnnxScorer(model, { featureCount, intraOpNumThreads: 1 });
  const worker = spawnModuleWorker(import.meta.url, 'score-worker', { model, featureCount });
  const pending = new Map<number, { resolve: (s: Float64Array) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  worker.on('message', (m: { id: number; scores?: Float64Array; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.scores) p.resolve(m.scores);
    else p.reject(new Error(m.error ?? 'the scoring thread failed'));
  });
  worker.on('error', (error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  const remote = (input: Float32Array, rowCount: number) =>
    new Promise<Float64Array>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const copy = input.slice(0, rowCount * featureCount);
      worker.postMessage({ id, input: copy, rowCount }, [copy.buffer]);
    });
  return {
    featureCount,
    async scoreInto(input, rowCount, out, offset = 0) {
      if (input.length < rowCount * featureCount) {
        throw new RangeError(
          `input holds ${input.length} values, fewer than ${rowCount} rows x ${featureCount} features`,
        );
      }
      if (rowCount < 2048) return local.scoreInto(input, rowCount, out, offset);
      const half = rowCount >> 1;
      const away = remote(input, half);
      await local.scoreInto(
        input.subarray(half * featureCount, rowCount * featureCount),
        rowCount - half,
        out,
        offset + half,
      );
      const scores = await away;
      for (let i = 0; i < half; i++) out[offset + i] = scores[i];
    },
    async release() {
      await local.release();
      // As worker-scorer.ts: the worker closes its session and exits; terminating it mid-run aborts the process.
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      worker.postMessage({ close: true });
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
