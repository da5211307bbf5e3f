import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail } from '../../api/result';
import type { AppConfig } from '../../config/app-config';
import type { ShadowEvidence } from '../../registry/promotion-gates';
import type { AppModels } from '../bundle-models';

/** Where the admin views find what is not in the store. */
export interface AdminDeps {
  /** The registry root: production/, production_backup/, experiments/, archive/. */
  modelsRoot: string;
  /** The model's training data (Pima format, with Outcome) for the EDA view; null when not available here. */
  trainingDataPath: string | null;
  /** The config's monitoring section (alert line, consecutive weeks, minimum labels) and the audit actor. */
  config: AppConfig;
  /** Called after promote or rollback, so scoring and the detail view load the new production bundle. */
  onModelChanged: () => void;
  /** Shadow scoring's evidence for the promotion gates; absent, the shadow gate says there is none yet. */
  shadowEvidenceFor?: (version: string) => ShadowEvidence;
}

/**
 * The answer of an admin method that needs AdminDeps when the composition root has not wired them: store-only
 * views still work without them.
 */
export function notWired() {
  return fail('not-implemented', 'The models folder is not configured in this build.');
}

export const TRAINING_DATA_MISSING = 'The training data file is not available here.';

/**
 * The admin views' dependencies as a composition root builds them: the registry root is the production folder's
 * parent (models/), the training data is an explicit path, GLUCOSCREEN_TRAINING_DATA, or `diabetes.csv` in the
 * config's data folder when it exists (a packaged app without training data shows the EDA of loaded files only).
 */
export function adminDepsFor(options: {
  modelDir: string;
  /** The config, or a read of it with the live settings in place (read at each use). */
  config: AppConfig | (() => AppConfig);
  models: AppModels;
  trainingDataPath?: string | null;
  /** The candidate's and production's recall on the shadow's labelled patients, for the promotion gate. */
  shadowEvidenceFor?: (version: string) => ShadowEvidence;
}): AdminDeps {
  const config = () => (typeof options.config === 'function' ? options.config() : options.config);
  const candidates = [
    options.trainingDataPath,
    process.env.GLUCOSCREEN_TRAINING_DATA,
    resolve(config().paths.dataDir, 'diabetes.csv'),
  ];
  const trainingDataPath = candidates.find((p): p is string => typeof p === 'string' && existsSync(p)) ?? null;
  return {
    modelsRoot: dirname(resolve(options.modelDir)),
    trainingDataPath,
    get config() {
      return config();
    },
    onModelChanged: options.models.reload,
    shadowEvidenceFor: options.shadowEvidenceFor,
  };
}
