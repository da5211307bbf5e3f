import { describe, expect, test } from 'vitest';
import { buildTestModelParts, scoringFixture } from '../testing/test-model';
import { createWorkerScorer, startScoreThread } from './worker-scorer';

describe('worker scorer', () => {
  test('scores on its thread exactly as a session on this one, with several requests in flight', async () => {
    const n = 9_001;
    const { parts, input, reference: here } = await scoringFixture(n, 11);
    const away = await createWorkerScorer(parts.onnx, 11);
    try {
      const expected = new Float64Array(n);
      await here.scoreInto(input, n, expected);
      // Three overlapping requests for three slices, answered into one array at their offsets.
      const got = new Float64Array(n);
      const cuts = [0, 2_000, 7_500, n];
      await Promise.all(
        cuts
          .slice(0, -1)
          .map((from, k) => away.scoreInto(input.subarray(from * 11, cuts[k + 1] * 11), cuts[k + 1] - from, got, from)),
      );
      expect(got).toEqual(expected);
      await expect(away.scoreInto(new Float32Array(5), 1, got)).rejects.toThrow(/fewer than 1 rows x 11/);
    } finally {
      await here.release();
      await away.release();
    }
  });

  test('after release a request is refused at once (never left waiting), and a second release is harmless', async () => {
    const parts = await buildTestModelParts();
    const away = await createWorkerScorer(parts.onnx, 11);
    await away.release();
    await away.release();
    await expect(away.scoreInto(new Float32Array(11), 1, new Float64Array(1))).rejects.toThrow(/stopped/);
  });

  test('a thread started before its model opens it later and scores as one given the model at once', async () => {
    const n = 500;
    const { parts, input, reference: here } = await scoringFixture(n, 11);
    const thread = startScoreThread(11);
    // The runtime loads meanwhile; the model comes when the caller has it.
    await new Promise((done) => setTimeout(done, 50));
    const away = await thread.open(parts.onnx);
    try {
      const expected = new Float64Array(n);
      await here.scoreInto(input, n, expected);
      const got = new Float64Array(n);
      await away.scoreInto(input, n, got);
      expect(got).toEqual(expected);
      await expect(thread.open(parts.onnx)).rejects.toThrow(/opened its session already/);
    } finally {
      await here.release();
      await thread.release();
    }
    await expect(away.scoreInto(input, 1, new Float64Array(1))).rejects.toThrow(/stopped/);
  });

  test('released unopened, the thread exits; given bytes that are no model, open fails with its reason', async () => {
    const unopened = startScoreThread(11);
    await unopened.release();
    await expect(unopened.open(new Uint8Array(10))).rejects.toThrow(/stopped before it opened/);
    const broken = startScoreThread(11);
    await expect(broken.open(new TextEncoder().encode('not an onnx model'))).rejects.toThrow(
      /the ONNX model could not be loaded/,
    );
    // Ended with the failure: releasing again is harmless.
    await broken.release();
  });
});
