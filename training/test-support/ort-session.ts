import * as ort from 'onnxruntime-node';

/**
 * Test-only onnxruntime-node access for training's parity tests. The product's single ORT adapter is
 * core/inference/onnx-session.ts; this file exists because training must verify its export on its own.
 */
export async function runOnnxProbabilities(
  modelBytes: Uint8Array,
  input: Float32Array,
  numFeatures: number,
): Promise<{ probabilities: Float32Array; labels: BigInt64Array }> {
  const session = await ort.InferenceSession.create(modelBytes, {
    intraOpNumThreads: 2,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  try {
    const rows = input.length / numFeatures;
    const feeds = { input: new ort.Tensor('float32', input, [rows, numFeatures]) };
    const out = await session.run(feeds);
    return {
      probabilities: out.probabilities.data as Float32Array,
      labels: out.label.data as BigInt64Array,
    };
  } finally {
    await session.release();
  }
}
