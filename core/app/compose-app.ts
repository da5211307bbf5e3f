import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ScryptParams } from '../auth/password-hash';
import { createBackup, listBackups, restoreBackup } from '../backup/database-backup';
import { type AppConfig, defaultConfig } from '../config/app-config';
import { configWithSettings, settingsFromConfig } from '../config/editable-settings';
import { startLocalScoringService } from '../host/local-scoring-service';
import { createShadowEvidenceFor } from '../monitoring/shadow-evidence';
import { installEmbeddedModel } from '../registry/embedded-model';
import { driftObserverFor } from '../screening/drift-observer';
import { settleTempOutputs } from '../screening/settle-outputs';
import { createShadowLoader } from '../screening/shadow-model';
import { createScreeningThreads } from '../screening/threading-plan';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { adminDepsFor } from './admin/admin-deps';
import type { RetrainTool } from './admin/retrain-process';
import { createApp, type GlucoscreenApp } from './app';
import { type AppModels, bundleModels } from './bundle-models';
import { createLiveSettings, type LiveSettings } from './live-settings';
import { createLocalApiSwitch, type LocalApiSwitch } from './local-api-switch';
import { createPipelineScreener } from './pipeline-screener';
import type { DatabaseBackups } from './ports';
import { removeStaleUploads } from './temp-upload';

/** The app with what its host also needs: the store and models it was built on, and how to close them. */
export interface ComposedApp extends GlucoscreenApp {
  store: Store;
  models: AppModels;
  /** The settings an admin edits, stored in the database and read at use time. */
  settings: LiveSettings;
  /** The app's own model registry (production, production_backup, experiments, archive) in the data folder. */
  modelsRoot: string;
  /** The local scoring API, running while the api.enabled setting is on. */
  localApi: LocalApiSwitch;
  /** Closes the store at once; the promise settles when the pipeline's worker threads and the API have stopped. */
  close(): Promise<void>;
}

interface ComposeOptions {
  dataDir: string;
  /** The model bundle shipped with the app (read-only resources, or the repo's models/production). */
  embeddedModelDir: string;
  /** The config file: its editable sections seed the stored settings on first run, the rest applies as is. */
  config?: AppConfig;
  /** Overrides the stored auto-lock setting (tests). */
  autoLockMinutes?: number;
  /** The training CSV for the EDA view, when this installation has it. */
  trainingDataPath?: string | null;
  /** Tests only: a movable clock and cheap password hashing. */
  now?: () => Date;
  scrypt?: ScryptParams;
  /** Extra arguments for the retraining tool (tests: small settings). */
  retrainToolArgs?: readonly string[];
  /** Which retraining tool runs (tests: the Electron bundle's); this installation's own otherwise. */
  locateRetrainTool?: () => RetrainTool | null;
}

/**
 * The composition root, free of Electron, so the local HTTP host (scripts/start.ts), the Electron core process and
 * the tests build the very same app: a SQLite store in the data folder, the model registry beside it, the CLI's
 * batch pipeline, and the admin views.
 */
export function composeApp(options: ComposeOptions): ComposedApp {
  const config = options.config ?? defaultConfig();
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const dbPath = join(options.dataDir, 'glucoscreen.db');
  const backupDir = join(options.dataDir, 'backups');
  const modelsRoot = join(options.dataDir, 'models');
  installEmbeddedModel(options.embeddedModelDir, modelsRoot);
  const modelDir = join(modelsRoot, 'production');
  const now = () => options.now?.() ?? new Date();

  // Everything built on the open store; a restore closes it and builds it again on the restored database.
  const build = () => {
    const store = openStore(dbPath, { now: options.now });
    const settings = createLiveSettings(store, settingsFromConfig(config), () => void localApi.sync());
    const liveConfig = () => configWithSettings(config, settings.current());
    // A batch killed between its commit and renaming its outputs into place left temp files: finish or remove them.
    settleTempOutputs(join(options.dataDir, 'predictions'), store);
    // Likewise a purge stopped after its commit: remove the files it recorded as pending.
    store.retention.finishPending();
    // And an import stopped midway: its upload's patient rows (file times are the wall clock's, whatever the app's).
    removeStaleUploads(join(options.dataDir, 'tmp'), Date.now());
    const models = bundleModels(modelDir, () => settings.current().risk.cuts);
    const screener = createPipelineScreener({
      store,
      model: models.screening,
      outputDir: join(options.dataDir, 'predictions'),
      rejectedDir: join(options.dataDir, 'rejected'),
      // Uploads are complete files written by main itself: no waiting for a growing file.
      retry: { ...config.retry, attempts: 0, stableWindowMs: 0 },
      borderlineBand: () => settings.current().risk.borderlineBand,
      ingest: { units: config.units, maxLineLength: config.ingest.maxLineLength },
      observer: (model) => {
        const drift = settings.current().drift;
        return drift.enabled ? driftObserverFor(model, drift) : null;
      },
      now: options.now,
      // Big imports on the parse, score and store threads, decided as the CLI decides (config screening.*).
      threads: createScreeningThreads(config.screening, dbPath),
      shadow: createShadowLoader(store.shadow, modelsRoot, settings.current().risk.cuts),
      logShadowFailure: (batchId, version, error) =>
        console.error(`[glucoscreen] shadow ${version} did not score batch ${batchId}: ${error}`),
    });
    const app = createApp({
      store,
      screener,
      models: models.provider,
      tempDir: join(options.dataDir, 'tmp'),
      autoLockMinutes: options.autoLockMinutes ?? (() => settings.current().session.autoLockMinutes),
      borderlineBand: () => settings.current().risk.borderlineBand,
      settings,
      backups,
      scrypt: options.scrypt,
      now: options.now,
      admin: adminDepsFor({
        modelDir,
        config: liveConfig,
        models,
        trainingDataPath: options.trainingDataPath,
        shadowEvidenceFor: createShadowEvidenceFor(store),
      }),
      retrainToolArgs: options.retrainToolArgs,
      rejectedDir: join(options.dataDir, 'rejected'),
      locateRetrainTool: options.locateRetrainTool,
    });
    return { app, store, settings, models, screener };
  };

  const backups: DatabaseBackups = {
    list: () =>
      listBackups(backupDir).map((path) => {
        const stat = statSync(path);
        return { file: basename(path), bytes: stat.size, takenAt: stat.mtime.toISOString() };
      }),
    async create(actor) {
      const taken = await createBackup({
        store: current.store,
        dir: backupDir,
        keep: current.settings.current().backup.keep,
        actor,
        now: now(),
      });
      return {
        file: basename(taken.file),
        kept: taken.kept.map((p) => basename(p)),
        removed: taken.removed.map((p) => basename(p)),
      };
    },
    async restore(file, actor) {
      const before = current;
      let closed = false;
      try {
        const done = await restoreBackup({
          dbPath,
          trailPath: before.store.audit.trailPath ?? `${dbPath}.audit.jsonl`,
          backupFile: join(backupDir, basename(file)),
          backupDir,
          actor,
          now: now(),
          keyring: before.store.audit.keyring(),
          beforeReplace: async () => {
            // Its own connection is on the database about to be replaced.
            await localApi.stop();
            closed = true;
            before.store.close();
            await before.screener.close();
          },
        });
        return {
          restoredFrom: basename(done.restoredFrom),
          preRestoreCopy: done.preRestoreCopy && basename(done.preRestoreCopy),
          backupHead: done.backupHead,
        };
      } finally {
        // Once the old store is closed the app runs on whatever database is in place now: the restored one, or
        // the old one when replacing it failed.
        if (closed) {
          current = build();
          void localApi.sync();
        }
      }
    },
  };

  const localApi = createLocalApiSwitch({
    wanted: () => {
      const { enabled, port, rateLimitPerMinute, maxBodyBytes, maxPatients } = current.settings.current().api;
      return enabled ? { port, rateLimitPerMinute, maxBodyBytes, maxPatients } : null;
    },
    async start({ port }) {
      // A connection of its own: API requests write batches across awaits, beside the app's own calls.
      const apiStore = openStore(dbPath, { now: options.now });
      try {
        const service = await startLocalScoringService({
          store: apiStore,
          config: {
            ...configWithSettings(config, current.settings.current()),
            paths: {
              ...config.paths,
              dbPath,
              modelDir,
              outputDir: join(options.dataDir, 'predictions'),
              rejectedDir: join(options.dataDir, 'rejected'),
            },
          },
          modelDir,
          port,
          // The admin whose saved setting turned it on.
          actor: current.settings.stored().updatedBy,
        });
        return {
          ...service,
          async stop() {
            try {
              await service.stop();
            } finally {
              apiStore.close();
            }
          },
        };
      } catch (error) {
        apiStore.close();
        throw error;
      }
    },
    logError: (message) => console.error(`[glucoscreen] ${message}`),
  });

  let current = build();
  void localApi.sync();
  return {
    get handlers() {
      return current.app.handlers;
    },
    newSession: () => current.app.newSession(),
    call: (method, arg, ctx) => current.app.call(method, arg, ctx),
    get store() {
      return current.store;
    },
    get models() {
      return current.models;
    },
    get settings() {
      return current.settings;
    },
    modelsRoot,
    localApi,
    close: () => {
      const stopping = localApi.stop();
      current.store.close();
      return Promise.all([stopping, current.screener.close()]).then(() => undefined);
    },
  };
}
