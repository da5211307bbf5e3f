import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createOnnxScorer } from '../inference/onnx-session';
import { type PreprocessParams, parsePreprocessParams } from '../preprocess/pipeline';
import { MODEL_FEATURES } from '../schema/columns';
import type { ScreeningModel } from './screening-model';

/** The parts of a model bundle (core/registry/bundle.ts's ModelBundle) that screening needs. */
export interface BundleLike {
  dir: string;
  metadata: { version: string; optimal_threshold: number; risk_cuts: { medium: number; high: number } };
  preprocess: PreprocessParams;
  onnxBytes: Uint8Array;
}

export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** One ORT session for the bundle; config risk cuts (when set) override the bundle's. */
export async function screeningModelFromBundle(
  bundle: BundleLike,
  overrides: { riskCuts?: { medium: number; high: number } | null } = {},
): Promise<ScreeningModel> {
  return {
    version: bundle.metadata.version,
    dir: bundle.dir,
    threshold: bundle.metadata.optimal_threshold,
    riskCuts: overrides.riskCuts ?? bundle.metadata.risk_cuts,
    preprocess: bundle.preprocess,
    scorer: await createOnnxScorer(bundle.onnxBytes, { featureCount: MODEL_FEATURES.length }),
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Reads a bundle folder, checking every sha256 listed in metadata.json. A missing, truncated or tampered file
 * is a ModelLoadError naming the file. (Stand-in reader until core/registry/bundle.ts's loadBundle is used.)
 */
export function readBundle(dirIn: string): BundleLike {
  const dir = resolve(dirIn);
  const metaPath = join(dir, 'metadata.json');
  if (!existsSync(metaPath)) throw new ModelLoadError(`no model in ${dir}: metadata.json is missing`);
  let metadata: BundleLike['metadata'] & { files?: Record<string, string>; feature_order?: string[] };
  try {
    metadata = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (error) {
    throw new ModelLoadError(`${metaPath} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof metadata.version !== 'string' || typeof metadata.optimal_threshold !== 'number' || !metadata.risk_cuts) {
    throw new ModelLoadError(`${metaPath} lacks version, optimal_threshold or risk_cuts`);
  }
  if (metadata.feature_order && metadata.feature_order.join(',') !== MODEL_FEATURES.join(',')) {
    throw new ModelLoadError(`${metaPath}: feature_order differs from this app's model features`);
  }
  const files = metadata.files ?? {};
  for (const name of ['model.onnx', 'preprocessing.json']) {
    if (!files[name]) throw new ModelLoadError(`${metaPath} lists no sha256 for ${name}`);
  }
  const read = (name: string): Buffer => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new ModelLoadError(`${path} is missing`);
    const bytes = readFileSync(path);
    if (files[name] && sha256(bytes) !== files[name]) {
      throw new ModelLoadError(`${path} does not match its sha256 in metadata.json (truncated or tampered)`);
    }
    return bytes;
  };
  const onnxBytes = new Uint8Array(read('model.onnx'));
  let preprocess: PreprocessParams;
  try {
    preprocess = parsePreprocessParams(read('preprocessing.json').toString('utf8'));
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(`${join(dir, 'preprocessing.json')}: ${(error as Error).message}`);
  }
  return { dir, metadata, preprocess, onnxBytes };
}

export async function loadScreeningModel(
  dir: string,
  overrides: { riskCuts?: { medium: number; high: number } | null } = {},
): Promise<ScreeningModel> {
  const bundle = readBundle(dir);
  try {
    return await screeningModelFromBundle(bundle, overrides);
  } catch (error) {
    throw new ModelLoadError(`${join(bundle.dir, 'model.onnx')}: ${(error as Error).message}`);
  }
}
