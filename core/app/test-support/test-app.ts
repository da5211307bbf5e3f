// Tests only (vitest and the e2e host): the real app on a real store in a temp folder. The model is the
// committed production bundle when it exists, otherwise a bundle trained and written here by training's own code
// (real trees, real ONNX, verified checksums), never a stub. Only tests import training/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderModelCard } from '../../../training/export/model-card';
import { writeBundle } from '../../../training/export/write-bundle';
import { driftReference } from '../../../training/pipeline/train-run';
import type { AppConfig } from '../../config/app-config';
import { confusionAt } from '../../metrics/confusion';
import { PIMA_PATH } from '../../testing/pima';
import { buildTestModelParts, referenceScores } from '../../testing/test-model';
import type { RetrainTool } from '../admin/retrain-process';
import { type ComposedApp, composeApp } from '../compose-app';

export const PRODUCTION_MODEL_DIR = resolve(import.meta.dirname, '../../../models/production');

export interface TestApp extends ComposedApp {
  dataDir: string;
  modelSource: 'production-bundle' | 'trained-for-test';
  /** Moves the app's clock (for the inactivity lock). */
  advanceClock(ms: number): void;
}

/**
 * The model folder tests use: the committed production bundle, or a bundle written here by training's own writer
 * (a real GBDT on the Pima file, real ONNX, every sha256) so that tests load it exactly as the app does.
 */
export async function testModelDir(scratch: string): Promise<{ dir: string; source: TestApp['modelSource'] }> {
  if (existsSync(join(PRODUCTION_MODEL_DIR, 'metadata.json')))
    return { dir: PRODUCTION_MODEL_DIR, source: 'production-bundle' };
  const dir = join(scratch, 'test-model');
  await writeTestBundle(dir);
  return { dir, source: 'trained-for-test' };
}

export interface TestBundleOptions {
  version?: string;
  threshold?: number;
  calibration?: { slope: number; intercept: number };
  trainingDate?: string;
}

/**
 * A real bundle (the test GBDT, its ONNX export, drift reference, model card, sha256s) with the given version,
 * threshold and calibration: the e2e Models scenario promotes one such candidate over another.
 */
export async function writeTestBundle(dir: string, options: TestBundleOptions = {}): Promise<void> {
  const parts = await buildTestModelParts();
  const calibration = options.calibration
    ? { method: 'platt' as const, slope: options.calibration.slope, intercept: options.calibration.intercept }
    : parts.calibration;
  const threshold = options.threshold ?? 0.4;
  // The promotion gates read the bundle's evaluation: record what this model really does on the Pima file at its
  // threshold (in-sample, since the test model is trained on all of it), so a gate passes or fails on real figures.
  const scores = referenceScores({ ...parts, calibration }, parts.table);
  const c = confusionAt(scores, parts.table.outcome as Uint8Array, threshold);
  const testMetrics = {
    rows: parts.table.rowCount,
    positives: c.tp + c.fn,
    threshold,
    recall: c.tp / (c.tp + c.fn),
    precision: c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp),
    source: 'the Pima file, in-sample (test build)',
  };
  writeBundle(dir, {
    ensemble: parts.ensemble,
    calibration,
    preprocess: parts.preprocess,
    reference: driftReference(parts.table, parts.preprocess),
    metadata: {
      version: options.version ?? 'v0.0.1',
      algorithm: 'GBDT (test build)',
      optimization_target: 'F2',
      optimal_threshold: threshold,
      target_recall: 0.85,
      risk_cuts: { medium: 0.35, high: 0.6 },
      test_metrics: testMetrics,
      validation_estimates: { recall: 0, precision: 0, f2: 0, auc: 0 },
      cv_estimates: null,
      training_date: options.trainingDate ?? '2026-01-01T00:00:00.000Z',
      data_path: 'diabetes.csv',
      data_sha256: createHash('sha256').update(readFileSync(PIMA_PATH)).digest('hex'),
      code_revision: 'test',
      feature_order: [...parts.ensemble.featureNames],
      calibration,
      best_params: {},
    },
    modelCard: renderModelCard,
  });
}

export async function createTestApp(
  dataDir: string,
  options: {
    /** null: the stored setting decides (session.autoLockMinutes). */
    autoLockMinutes?: number | null;
    config?: AppConfig;
    /** Time moves only by advanceClock (back-off tests). */
    frozenClock?: boolean;
    /** Extra arguments for the retraining tool (small settings). */
    retrainToolArgs?: readonly string[];
    /** Which retraining tool runs (the Electron bundle's, in worker mode); the checkout's otherwise. */
    locateRetrainTool?: () => RetrainTool | null;
  } = {},
): Promise<TestApp> {
  mkdirSync(dataDir, { recursive: true });
  const { dir: embeddedModelDir, source } = await testModelDir(dataDir);
  let offset = 0;
  const start = Date.now();
  // The app's own composition root, with a movable clock and fast hashing (the app uses N = 2^17).
  const app = composeApp({
    dataDir,
    embeddedModelDir,
    trainingDataPath: PIMA_PATH,
    autoLockMinutes: options.autoLockMinutes === null ? undefined : (options.autoLockMinutes ?? 15),
    config: options.config,
    scrypt: { n: 1 << 10, r: 8, p: 1, keyLength: 64 },
    now: () => new Date((options.frozenClock ? start : Date.now()) + offset),
    retrainToolArgs: options.retrainToolArgs,
    locateRetrainTool: options.locateRetrainTool,
  });
  // Extended in place, not spread: the store and handlers are read through getters, which a restore changes.
  return Object.assign(app, {
    dataDir,
    modelSource: source,
    advanceClock: (ms: number) => {
      offset += ms;
    },
  });
}
