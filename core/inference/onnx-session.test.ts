import { describe, expect, test } from 'vitest';
import { ProtoWriter } from '../../training/export/protobuf-writer';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { buildTestModelParts, referenceScores } from '../testing/test-model';
import { createOnnxScorer, OnnxModelError, WARM_UP_MODEL, warmUpOnnxRuntime } from './onnx-session';

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

describe('the warm-up model', () => {
  test('is one Identity node as the exporter writes it, and a session of it returns its input', async () => {
    const valueInfo = (w: ProtoWriter, name: string) =>
      w
        .string(1, name)
        .message(2, (type) =>
          type.message(1, (tensor) => tensor.int(1, 1).message(2, (shape) => shape.message(1, (dim) => dim.int(1, 1)))),
        );
    const model = new ProtoWriter()
      .int(1, 8)
      .message(7, (graph) =>
        graph
          .message(1, (node) => node.string(1, 'x').string(2, 'y').string(4, 'Identity'))
          .string(2, 'warmup')
          .message(11, (w) => valueInfo(w, 'x'))
          .message(12, (w) => valueInfo(w, 'y')),
      )
      .message(8, (opset) => opset.string(1, '').int(2, 13))
      .finish();
    expect(Buffer.from(model)).toEqual(WARM_UP_MODEL);
    // Through onnx-session.ts first, which turns the runtime's telemetry off before loading it.
    await expect(warmUpOnnxRuntime()).resolves.toBeUndefined();
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(WARM_UP_MODEL);
    const result = await session.run({ x: new ort.Tensor('float32', new Float32Array([4.5]), [1]) });
    expect(Array.from(result.y.data as Float32Array)).toEqual([4.5]);
    await session.release();
  });
});
