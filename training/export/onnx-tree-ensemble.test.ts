import { describe, expect, test } from 'vitest';
import { createOnnxScorer } from '../../core/inference/onnx-session';
import { calibratedProbability, type PlattCalibration, predictMargin } from '../../core/model/tree';
import { loadPimaMatrix } from '../../core/testing/training-matrix';
import { Random } from '../../core/util/seeded-random';
import { trainGbdt } from '../boosting/gbdt';
import { binMatrix, fitBinMappers } from '../io/binned-dataset';
import { exportOnnx } from './onnx-tree-ensemble';

const THRESHOLD = 0.42;

describe('ONNX export', () => {
  test('onnxruntime scores every Pima row and 100,000 random rows like the TypeScript trees', async () => {
    const m = await loadPimaMatrix();
    const width = m.columns.length;
    const { ensemble } = trainGbdt(binMatrix(m, fitBinMappers(m, 255, 3)), {
      numIterations: 300,
      learningRate: 0.03,
      numLeaves: 40,
      minDataInLeaf: 10,
      scalePosWeight: 3,
      featureFraction: 0.8,
      baggingFraction: 0.9,
      baggingFreq: 1,
    });
    const calibration: PlattCalibration = { method: 'platt', slope: 0.83, intercept: -0.61 };
    const bytes = exportOnnx(ensemble, calibration);

    // Random rows: a third near-uniform over each feature's range, a third exactly on a split threshold or
    // one float32 step either side of it, and some NaN (routed by the learned default side).
    const thresholds: number[][] = Array.from({ length: width }, () => []);
    for (const tree of ensemble.trees) {
      for (let n = 0; n < tree.splitFeature.length; n++) thresholds[tree.splitFeature[n]].push(tree.threshold[n]);
    }
    const ranges = m.columns.map((c) => [Math.min(...c), Math.max(...c)]);
    const rnd = new Random(2024);
    const randomRows = 100_000;
    const total = m.numRows + randomRows;
    const input = new Float32Array(total * width);
    for (let r = 0; r < m.numRows; r++) for (let f = 0; f < width; f++) input[r * width + f] = m.columns[f][r];
    const step = new Float32Array(1);
    const bits = new Int32Array(step.buffer);
    for (let r = m.numRows; r < total; r++) {
      for (let f = 0; f < width; f++) {
        const [lo, hi] = ranges[f];
        const u = rnd.next();
        let v: number;
        if (u < 0.02) v = Number.NaN;
        else if (u < 0.4 && thresholds[f].length > 0) {
          step[0] = thresholds[f][rnd.int(thresholds[f].length)];
          bits[0] += rnd.int(3) - 1;
          v = step[0];
        } else v = lo - 0.1 * (hi - lo) + rnd.next() * 1.2 * (hi - lo);
        input[r * width + f] = v;
      }
    }

    // Through the product's single ORT adapter, as the app scores.
    const scorer = await createOnnxScorer(bytes, { featureCount: width });
    const onnxP = new Float64Array(total);
    try {
      await scorer.scoreInto(input, total, onnxP);
    } finally {
      await scorer.release();
    }
    let maxDiff = 0;
    let decisionMismatches = 0;
    const row = new Float32Array(width);
    for (let r = 0; r < total; r++) {
      row.set(input.subarray(r * width, (r + 1) * width));
      const p = calibratedProbability(calibration, predictMargin(ensemble, row));
      const q = onnxP[r];
      maxDiff = Math.max(maxDiff, Math.abs(p - q));
      if (p >= THRESHOLD !== q >= THRESHOLD) decisionMismatches++;
    }
    console.log(`ONNX parity: ${total} rows, max abs dp ${maxDiff.toExponential(2)}`);
    expect(decisionMismatches).toBe(0);
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
  });

  test('a threshold that is not float32-representable is refused', () => {
    const ensemble = {
      featureNames: ['a'],
      baseScore: 0,
      trees: [
        {
          numLeaves: 2,
          splitFeature: [0],
          threshold: [0.1],
          defaultLeft: [true],
          leftChild: [-1],
          rightChild: [-2],
          splitGain: [1],
          internalCount: [2],
          internalHessian: [1],
          internalValue: [0],
          leafValue: [-1, 1],
          leafCount: [1, 1],
          leafHessian: [0.5, 0.5],
        },
      ],
    };
    expect(() => exportOnnx(ensemble, { method: 'platt', slope: 1, intercept: 0 })).toThrow(/float32/);
  });
});
