import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { driftObserverFor } from '../screening/drift-observer';
import { loadScreeningModel } from '../screening/load-model';
import type { Store } from '../store/store';
import { startScoringApi } from './scoring-api';

/** The local scoring API as `npm run serve` and the desktop app both run it. */
export interface RunningScoringService {
  url: string;
  port: number;
  modelVersion: string;
  /** Closes the listener, audits api.stop and releases the model's ONNX session. */
  stop(): Promise<void>;
}

/**
 * Loads the production model through the registry (every file's sha256 checked), listens on 127.0.0.1 and audits
 * api.start; `stop` undoes each step. The store should be a connection of its own: requests write batches
 * across awaits, which must not interleave with another writer's open batch on the same connection.
 */
export async function startLocalScoringService(options: {
  store: Store;
  config: AppConfig;
  /** The production bundle's folder. */
  modelDir: string;
  /** 0: an ephemeral port (tests). */
  port: number;
  actor: string;
}): Promise<RunningScoringService> {
  const { store, config, modelDir, actor } = options;
  if (!existsSync(join(modelDir, 'metadata.json'))) throw new Error(`no production model in ${modelDir}`);
  const model = await loadScreeningModel(modelDir, {
    riskCuts: config.risk.cuts,
    intraOpNumThreads: config.screening.onnxThreads,
  });
  try {
    mkdirSync(config.paths.outputDir, { recursive: true, mode: 0o700 });
    const drift = config.drift;
    const api = await startScoringApi({
      store,
      config,
      model,
      port: options.port,
      observer: drift.enabled ? () => driftObserverFor(model, drift) : undefined,
    });
    store.audit.append({ actor, action: 'api.start', details: { port: api.port, model: model.version } });
    return {
      url: api.url,
      port: api.port,
      modelVersion: model.version,
      async stop() {
        await api.close();
        store.audit.append({ actor, action: 'api.stop', details: { port: api.port } });
        await model.scorer.release();
      },
    };
  } catch (error) {
    await model.scorer.release();
    throw error;
  }
}
