import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config';
import type { AdminDeps } from './admin-handlers';
import type { AppModels } from './bundle-models';

/**
 * The admin views' dependencies as a composition root builds them: the registry root is the production folder's
 * parent (models/), the training data is an explicit path, GLUCOSCREEN_TRAINING_DATA, or `diabetes.csv` in the
 * config's data folder when it exists (a packaged app without training data shows the EDA of loaded files only).
 */
export function adminDepsFor(options: {
  modelDir: string;
  config: AppConfig;
  models: AppModels;
  trainingDataPath?: string | null;
}): AdminDeps {
  const candidates = [
    options.trainingDataPath,
    process.env.GLUCOSCREEN_TRAINING_DATA,
    resolve(options.config.paths.dataDir, 'diabetes.csv'),
  ];
  const trainingDataPath = candidates.find((p): p is string => typeof p === 'string' && existsSync(p)) ?? null;
  return {
    modelsRoot: dirname(resolve(options.modelDir)),
    trainingDataPath,
    config: options.config,
    onModelChanged: options.models.reload,
  };
}
