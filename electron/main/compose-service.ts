import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, defaultConfig } from '../../core/config/app-config';
import { createDriftObserver } from '../../core/screening/drift-observer';
import { bundleModels } from '../../core/service/bundle-models';
import { createPipelineScreener } from '../../core/service/pipeline-screener';
import { createScreeningService, type ScreeningService } from '../../core/service/screening-service';
import { openStore } from '../../core/store/sqlite-store';
import type { Store } from '../../core/store/store-types';

/** Minutes without input before the app locks (also enforced in main on the next call). */
export const AUTO_LOCK_MINUTES = 10;

export interface ComposedApp {
  service: ScreeningService;
  store: Store;
  close(): void;
}

/**
 * The composition root's core half, free of Electron so the local host (scripts/start.ts) builds the very same
 * app: a SQLite store in the user-data folder, the committed production model, the CLI's batch pipeline.
 */
export function composeService(options: {
  dataDir: string;
  modelDir: string;
  config?: AppConfig;
  autoLockMinutes?: number;
}): ComposedApp {
  const config = options.config ?? defaultConfig();
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const store = openStore(join(options.dataDir, 'glucoscreen.db'));
  const models = bundleModels(options.modelDir, config.risk.cuts);
  const screener = createPipelineScreener({
    store,
    model: models.screening,
    outputDir: join(options.dataDir, 'predictions'),
    rejectedDir: join(options.dataDir, 'rejected'),
    // Uploads are complete files written by main itself: no waiting for a growing file.
    retry: { ...config.retry, attempts: 0, stableWindowMs: 0 },
    observer: config.drift.enabled ? (model) => createDriftObserver(model.bundle.reference, config.drift) : undefined,
  });
  const service = createScreeningService({
    store,
    screener,
    models: models.provider,
    tempDir: join(options.dataDir, 'tmp'),
    autoLockMinutes: options.autoLockMinutes ?? AUTO_LOCK_MINUTES,
  });
  return { service, store, close: () => store.close() };
}
