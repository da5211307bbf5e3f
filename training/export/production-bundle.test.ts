import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createOnnxScorer } from '../../core/inference/onnx-session';
import { categorizeRisk } from '../../core/model/risk-category';
import { calibratedProbability, predictMargin } from '../../core/model/tree';
import { fitCbpeReference } from '../../core/monitoring/cbpe';
import { toFloat32RowMajor } from '../../core/preprocess/model-matrix';
import { transformFeatures } from '../../core/preprocess/pipeline';
import { loadBundle } from '../../core/registry/bundle';
import { MODEL_FEATURES } from '../../core/schema/columns';
import { takeRows } from '../../core/table/patient-table';
import { PIMA_PATH } from '../../core/testing/pima';
import { REPO_ROOT } from '../data-prep/data-manifest';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { matrixOf, scoreMatrix } from '../pipeline/fit-procedure';
import { globalImportance } from '../pipeline/global-importance';
import { stratifiedSplit } from '../tuner/stratified-split';

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

  test('carries the CBPE reference and global importance recomputable from the bundle and the data', async () => {
    const dir = join(REPO_ROOT, 'models', 'production');
    const bundle = await loadBundle(dir);
    const m = bundle.metadata;
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = m.split as { kind: string; seed: number };
    expect(split.kind).toBe('stratified 60/20/20');
    const parts = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], split.seed);

    // CBPE reference: fitted on the validation part's calibrated probabilities at the operating threshold.
    const val = matrixOf(bundle.preprocess, takeRows(table, parts.val));
    const probs = scoreMatrix(bundle.ensemble, bundle.calibration, val);
    const expected = fitCbpeReference(probs, val.labels, m.optimal_threshold, 2);
    expect(m.cbpe_reference).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(m.cbpe_reference?.referenceRows).toBe(parts.val.length);

    // Global importance: mean |SHAP| over the training part with core/explain, 11 features and 8 inputs.
    const importance = globalImportance(
      bundle.ensemble,
      bundle.preprocess,
      takeRows(table, parts.train),
      'training part',
    );
    expect(m.global_importance).toEqual(JSON.parse(JSON.stringify(importance)));
    expect(importance.model.map((x) => x.feature).sort()).toEqual([...MODEL_FEATURES].sort());
    expect(importance.clinical.length).toBe(8);
    const card = readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('Global feature importance');
    expect(card).toContain(`| 1 | ${importance.model[0].feature} | ${importance.model[0].meanAbsShap.toFixed(3)} |`);
  });
});
