import { createOnnxScorer, type OnnxScorer } from './onnx-session';
import { createWorkerScorer } from './worker-scorer';

/**
 * Two single-threaded ONNX sessions, one on this thread and one on a worker (worker-scorer.ts), scoring the two
 * halves of every chunk at the same time (config screening.splitScoring, off by default: the pipelined score
 * thread measured better on this machine). Each row is still summed by one thread, so the scores are those of
 * one single-threaded session.
 */
export async function createSplitScorer(model: Uint8Array, featureCount: number): Promise<OnnxScorer> {
  const local = await createOnnxScorer(model, { featureCount, intraOpNumThreads: 1 });
  const remote = await createWorkerScorer(model, featureCount, 1);
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
      // Caught at once: a rejection must not go unhandled while this thread scores its half.
      const away = remote.scoreInto(input, half, out, offset).then(
        () => null,
        (error: unknown) => error,
      );
      await local.scoreInto(
        input.subarray(half * featureCount, rowCount * featureCount),
        rowCount - half,
        out,
        offset + half,
      );
      const failure = await away;
      if (failure) throw failure;
    },
    async release() {
      await local.release();
      await remote.release();
    },
  };
}
