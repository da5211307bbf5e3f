import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createOnnxScorer } from '../../core/inference/onnx-session';
import { categorizeRisk } from '../../core/model/risk-category';
import { calibratedProbability, predictMargin } from '../../core/model/tree';
import { toFloat32RowMajor } from '../../core/preprocess/model-matrix';
import { transformFeatures } from '../../core/preprocess/pipeline';
import { loadBundle } from '../../core/registry/bundle';
import { MODEL_FEATURES } from '../../core/schema/columns';
import { REPO_ROOT } from '../data-prep/data-manifest';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { PIMA_PATH } from '../test-support/pima';

describe('committed production bundle', () => {
  test('loads with verified hashes, and its ONNX model and trees agree on every Pima row', async () => {
    const bundle = await loadBundle(join(REPO_ROOT, 'models', 'production'));
    expect(bundle.metadata.feature_order).toEqual([...MODEL_FEATURES]);
    const { table } = await loadTrainingTable(PIMA_PATH);
    const input = toFloat32RowMajor(transformFeatures(bundle.preprocess, table));
    const scorer = await createOnnxScorer(bundle.onnxBytes, { featureCount: MODEL_FEATURES.length });
    const onnx = new Float64Array(table.rowCount);
    try {
      await scorer.scoreInto(input, table.rowCount, onnx);
    } finally {
      await scorer.release();
    }
    const t = bundle.metadata.optimal_threshold;
    const width = MODEL_FEATURES.length;
    let maxDiff = 0;
    for (let r = 0; r < table.rowCount; r++) {
      const p = calibratedProbability(
        bundle.calibration,
        predictMargin(bundle.ensemble, input.subarray(r * width, (r + 1) * width)),
      );
      maxDiff = Math.max(maxDiff, Math.abs(p - onnx[r]));
      expect(onnx[r] >= t).toBe(p >= t);
      if (p >= t) expect(categorizeRisk(p, t, bundle.metadata.risk_cuts)).not.toBe('Low');
    }
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
  });
});
