import { describe, expect, test } from 'vitest';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { buildTestModelParts, referenceScores } from '../testing/test-model';
import { createOnnxScorer, OnnxModelError } from './onnx-session';

describe('ONNX scorer', () => {
  test('scores the Pima rows like the TypeScript trees, into any offset of the output, with one session reused', async () => {
    const parts = await buildTestModelParts();
    const scorer = await createOnnxScorer(parts.onnx, { featureCount: 11 });
    try {
      const input = toFloat32RowMajor(transformFeatures(parts.preprocess, parts.table));
      const n = parts.table.rowCount;
      const out = new Float64Array(n + 5).fill(-1);
      await scorer.scoreInto(input, n, out, 5);
      await scorer.scoreInto(input, n, out, 5); // the same session again gives the same bits
      const expected = referenceScores(parts, parts.table);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[5 + i] - expected[i]));
      expect(worst).toBeLessThan(1e-6);
      expect(Array.from(out.subarray(0, 5))).toEqual([-1, -1, -1, -1, -1]);
    } finally {
      await scorer.release();
    }
  });

  test('too little input is a RangeError naming the shapes', async () => {
    const parts = await buildTestModelParts();
    const scorer = await createOnnxScorer(parts.onnx, { featureCount: 11 });
    try {
      await expect(scorer.scoreInto(new Float32Array(20), 2, new Float64Array(2))).rejects.toThrow(
        'input holds 20 values, fewer than 2 rows x 11 features',
      );
    } finally {
      await scorer.release();
    }
  });

  test('bytes that are not an ONNX model are an OnnxModelError, not a crash', async () => {
    const truncated = (await buildTestModelParts()).onnx.subarray(0, 100);
    await expect(createOnnxScorer(truncated, { featureCount: 11 })).rejects.toBeInstanceOf(OnnxModelError);
    await expect(createOnnxScorer(new Uint8Array([1, 2, 3]), { featureCount: 11 })).rejects.toThrow(
      /the ONNX model could not be loaded/,
    );
  });
});
