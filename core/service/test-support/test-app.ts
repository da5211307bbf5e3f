// Tests only (vitest and the e2e host): the real service on a real store in a temp folder. The model is the
// committed production bundle when it exists, otherwise one trained here by training's own code (real trees,
// real ONNX), never a stub.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultConfig } from '../../config/app-config';
import { createOnnxScorer } from '../../inference/onnx-session';
import { buildTestModelParts } from '../../screening/test-support/test-model';
import { openStore } from '../../store/sqlite-store';
import type { Store } from '../../store/store-types';
import { type AppModels, bundleModels, loadedModelFrom } from '../bundle-models';
import { createPipelineScreener } from '../pipeline-screener';
import { createScreeningService, type ScreeningService } from '../screening-service';

export const PRODUCTION_MODEL_DIR = resolve(import.meta.dirname, '../../../models/production');

export interface TestApp {
  service: ScreeningService;
  store: Store;
  dataDir: string;
  models: AppModels;
  modelSource: 'production-bundle' | 'trained-for-test';
  /** Moves the service's clock (for the inactivity lock). */
  advanceClock(ms: number): void;
  close(): void;
}

export async function testModels(): Promise<{ models: AppModels; source: TestApp['modelSource'] }> {
  if (existsSync(join(PRODUCTION_MODEL_DIR, 'metadata.json'))) {
    return { models: bundleModels(PRODUCTION_MODEL_DIR), source: 'production-bundle' };
  }
  const parts = await buildTestModelParts();
  const version = 'v0.0.1-test';
  const threshold = 0.4;
  const riskCuts = { medium: 0.35, high: 0.6 };
  const scorer = await createOnnxScorer(parts.onnx, { featureCount: 11 });
  const loaded = loadedModelFrom({
    version,
    threshold,
    riskCuts,
    trainedAt: null,
    preprocess: parts.preprocess,
    ensemble: parts.ensemble,
  });
  const screening = { version, dir: null, threshold, riskCuts, preprocess: parts.preprocess, scorer };
  return {
    models: {
      provider: { production: async () => ({ ok: true, model: loaded }) },
      screening: async () => ({ ok: true, model: screening }),
    },
    source: 'trained-for-test',
  };
}

export async function createTestApp(dataDir: string, options: { autoLockMinutes?: number } = {}): Promise<TestApp> {
  mkdirSync(dataDir, { recursive: true });
  const store = openStore(join(dataDir, 'glucoscreen.db'));
  const { models, source } = await testModels();
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const retry = { ...defaultConfig().retry, attempts: 0, stableWindowMs: 0 };
  const screener = createPipelineScreener({
    store,
    model: models.screening,
    outputDir: join(dataDir, 'predictions'),
    rejectedDir: join(dataDir, 'rejected'),
    retry,
    now,
  });
  const service = createScreeningService({
    store,
    screener,
    models: models.provider,
    tempDir: join(dataDir, 'tmp'),
    autoLockMinutes: options.autoLockMinutes ?? 15,
    // Fast hashing for tests only; the app uses the stored defaults (N = 2^15).
    scrypt: { n: 1 << 10, r: 8, p: 1, keyLength: 64 },
    now,
  });
  return {
    service,
    store,
    dataDir,
    models,
    modelSource: source,
    advanceClock: (ms) => {
      offset += ms;
    },
    close: () => store.close(),
  };
}
