import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialisePreprocessParams } from '../../preprocess/pipeline';
import { MODEL_FEATURES } from '../../schema/columns';
import { buildTestModelParts } from './test-model';

/** Writes a model bundle folder (the contract's files and metadata) from the test model. Tests only. */
export async function writeTestBundle(dir: string, version = 'v0.0.1-test'): Promise<void> {
  const parts = await buildTestModelParts();
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  const put = (name: string, data: string | Uint8Array) => {
    writeFileSync(join(dir, name), data);
    files[name] = createHash('sha256').update(data).digest('hex');
  };
  put('model.onnx', parts.onnx);
  put('trees.json', JSON.stringify(parts.ensemble));
  put('preprocessing.json', serialisePreprocessParams(parts.preprocess));
  put('reference.json', JSON.stringify({ rowCount: 0, columns: {} }));
  const metadata = {
    version,
    algorithm: 'test gbdt',
    optimization_target: 'f2',
    optimal_threshold: 0.4,
    target_recall: 0.8,
    risk_cuts: { medium: 0.35, high: 0.6 },
    training_date: '2026-01-01T00:00:00.000Z',
    feature_order: [...MODEL_FEATURES],
    calibration: parts.calibration,
    files,
  };
  writeFileSync(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
}
