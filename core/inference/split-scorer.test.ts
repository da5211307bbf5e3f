import { describe, expect, test } from 'vitest';
import { scoringFixture } from '../testing/test-model';
import { createSplitScorer } from './split-scorer';

describe('split scorer', () => {
  test('two sessions on two threads give exactly the scores of one session, at any offset', async () => {
    const n = 20_001;
    const { parts, input, reference: one } = await scoringFixture(n, 7);
    const split = await createSplitScorer(parts.onnx, 11);
    try {
      const a = new Float64Array(n + 3);
      const b = new Float64Array(n + 3);
      await one.scoreInto(input, n, a, 3);
      await split.scoreInto(input, n, b, 3);
      expect(b).toEqual(a);
      const small = new Float64Array(10);
      await split.scoreInto(input, 10, small); // below the split size: scored on this thread
      expect(Array.from(small)).toEqual(Array.from(a.subarray(3, 13)));
      await expect(split.scoreInto(new Float32Array(5), 1, small)).rejects.toThrow(/fewer than 1 rows x 11/);
    } finally {
      await one.release();
      await split.release();
    }
  });
});
