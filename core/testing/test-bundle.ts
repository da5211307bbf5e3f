import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driftColumnsOf } from '../drift/drift-columns';
import type { PlattCalibration } from '../model/tree';
import { serialisePreprocessParams } from '../preprocess/pipeline';
import { MODEL_FEATURES } from '../schema/columns';
import { PIMA_PATH } from './pima';
import { buildTestModelParts, type TestModelParts } from './test-model';

/**
 * metadata.json of a test bundle without `files`: every field the schema requires, with neutral values (no
 * measured metrics), so that tests name only what they care about.
 */
export function testBundleMetadata(
  fields: { version: string; calibration: PlattCalibration } & Record<string, unknown>,
): Record<string, unknown> & { version: string } {
  const { version, calibration, ...rest } = fields;
  return {
    version,
    algorithm: 'gbdt (test model)',
    optimization_target: 'f2',
    optimal_threshold: 0.4,
    target_recall: 0.8,
    risk_cuts: { medium: 0.35, high: 0.6 },
    test_metrics: {},
    validation_estimates: { recall: 0.8, precision: 0.5, f2: 0.7, auc: 0.8 },
    cv_estimates: null,
    training_date: '2026-01-01T00:00:00.000Z',
    data_path: PIMA_PATH,
    data_sha256: '0'.repeat(64),
    code_revision: 'test',
    feature_order: [...MODEL_FEATURES],
    calibration,
    best_params: {},
    ...rest,
  };
}

/**
 * Writes a model bundle folder (every contract file, metadata valid for loadBundle) from the test model, or from
 * other parts (a challenger for shadow scoring).
 */
export async function writeTestBundle(dir: string, version = 'v0.0.1', given?: TestModelParts): Promise<void> {
  const parts = given ?? (await buildTestModelParts());
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  const put = (name: string, data: string | Uint8Array) => {
    writeFileSync(join(dir, name), data);
    files[name] = createHash('sha256').update(data).digest('hex');
  };
  const drift = driftColumnsOf(parts.preprocess, parts.table);
  const reference = {
    rowCount: drift.rowCount,
    columns: Object.fromEntries(MODEL_FEATURES.map((f) => [f, Array.from(drift.columns[f])])),
  };
  put('model.onnx', parts.onnx);
  put('trees.json', JSON.stringify(parts.ensemble));
  put('preprocessing.json', serialisePreprocessParams(parts.preprocess));
  put('reference.json', JSON.stringify(reference));
  const metadata = { ...testBundleMetadata({ version, calibration: parts.calibration }), files };
  writeFileSync(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
}
