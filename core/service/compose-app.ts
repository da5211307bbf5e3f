import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScryptParams } from '../auth/password-hash';
import { type AppConfig, defaultConfig } from '../config/app-config';
import { createDriftObserver } from '../screening/drift-observer';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { adminDepsFor } from './admin-deps';
import { type AppModels, bundleModels } from './bundle-models';
import { createPipelineScreener } from './pipeline-screener';
import { createScreeningService, type ScreeningService } from './screening-service';

/** Minutes without input before the app locks (also enforced in main on the next call). */
export const AUTO_LOCK_MINUTES = 10;

export interface ComposedApp {
  service: ScreeningService;
  store: Store;
  models: AppModels;
  /** The app's own model registry (production, production_backup, experiments, archive) in the data folder. */
  modelsRoot: string;
  close(): void;
}

export interface ComposeOptions {
  dataDir: string;
  /** The model bundle shipped with the app (read-only resources, or the repo's models/production). */
  embeddedModelDir: string;
  config?: AppConfig;
  autoLockMinutes?: number;
  /** The training CSV for the EDA view, when this installation has it. */
  trainingDataPath?: string | null;
  /** Tests only: a movable clock and cheap password hashing. */
  now?: () => Date;
  scrypt?: ScryptParams;
}

function versionOf(bundleDir: string): string | null {
  try {
    const version = JSON.parse(readFileSync(join(bundleDir, 'metadata.json'), 'utf8')).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/**
 * The app keeps its model registry in its data folder, since promote and rollback rename folders and the shipped
 * resources are read-only. First run: the shipped bundle becomes production. Later, a shipped bundle of a version
 * not installed yet (an app update) is staged under experiments/ for an admin to promote: the production model
 * never changes without an admin's audited decision.
 */
export function installEmbeddedModel(embeddedModelDir: string, modelsRoot: string): void {
  const production = join(modelsRoot, 'production');
  const embeddedVersion = versionOf(embeddedModelDir);
  if (embeddedVersion === null) return;
  if (!existsSync(join(production, 'metadata.json'))) {
    mkdirSync(modelsRoot, { recursive: true });
    cpSync(embeddedModelDir, production, { recursive: true });
    return;
  }
  const installed = [production, join(modelsRoot, 'production_backup')];
  for (const group of ['experiments', 'archive']) {
    const root = join(modelsRoot, group);
    if (existsSync(root)) for (const name of readdirSync(root)) installed.push(join(root, name));
  }
  if (installed.some((dir) => versionOf(dir) === embeddedVersion)) return;
  cpSync(embeddedModelDir, join(modelsRoot, 'experiments', `shipped-${embeddedVersion}`), { recursive: true });
}

/**
 * The composition root's core half, free of Electron, so the local host (scripts/start.ts), the Electron core
 * process and the end-to-end tests build the very same app: a SQLite store in the data folder, the model registry
 * beside it, the CLI's batch pipeline, and the admin views.
 */
export function composeService(options: ComposeOptions): ComposedApp {
  const config = options.config ?? defaultConfig();
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const store = openStore(join(options.dataDir, 'glucoscreen.db'), { now: options.now });
  const modelsRoot = join(options.dataDir, 'models');
  installEmbeddedModel(options.embeddedModelDir, modelsRoot);
  const modelDir = join(modelsRoot, 'production');
  const models = bundleModels(modelDir, config.risk.cuts);
  const screener = createPipelineScreener({
    store,
    model: models.screening,
    outputDir: join(options.dataDir, 'predictions'),
    rejectedDir: join(options.dataDir, 'rejected'),
    // Uploads are complete files written by main itself: no waiting for a growing file.
    retry: { ...config.retry, attempts: 0, stableWindowMs: 0 },
    borderlineBand: config.risk.borderlineBand,
    observer: config.drift.enabled ? (model) => createDriftObserver(model.bundle.reference, config.drift) : undefined,
    now: options.now,
  });
  const service = createScreeningService({
    store,
    screener,
    models: models.provider,
    tempDir: join(options.dataDir, 'tmp'),
    autoLockMinutes: options.autoLockMinutes ?? AUTO_LOCK_MINUTES,
    borderlineBand: config.risk.borderlineBand,
    scrypt: options.scrypt,
    now: options.now,
    admin: adminDepsFor({ modelDir, config, models, trainingDataPath: options.trainingDataPath }),
  });
  return { service, store, models, modelsRoot, close: () => store.close() };
}
