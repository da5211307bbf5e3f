import { describe, expect, test } from 'vitest';
import { buildTestModelParts, scoringFixture } from '../testing/test-model';
import { createWorkerScorer } from './worker-scorer';

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
});
