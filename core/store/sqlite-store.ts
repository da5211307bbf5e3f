import { basename, dirname, extname, join } from 'node:path';
import { processAuditKeyring } from '../audit-key/keyring';
import { backupDatabase, openDatabase, transaction } from './database';
import { createSqliteAlertStore } from './sqlite-alert-repository';
import { createSqliteApiClientStore } from './sqlite-api-client-repository';
import { createSqliteAuditLog } from './sqlite-audit-log';
import { createSqliteBatchStore } from './sqlite-batch-repository';
import { discardAbandonedBatches } from './sqlite-batch-writer';
import { createSqliteDatasetStore } from './sqlite-dataset-repository';
import { createSqliteDriftStore } from './sqlite-drift-repository';
import { createSqliteExperimentStore } from './sqlite-experiment-repository';
import { createSqliteFollowUpStore } from './sqlite-follow-up-repository';
import { createSqliteLabelStore } from './sqlite-label-repository';
import { createSqlitePredictionInputs } from './sqlite-prediction-inputs';
import { createSqlitePromotionRequestStore } from './sqlite-promotion-request-repository';
import { createSqliteRetentionStore } from './sqlite-retention-repository';
import { createSqliteReviewStore } from './sqlite-review-repository';
import { createSqliteSettingsStore } from './sqlite-settings-repository';
import { createSqliteShadowStore } from './sqlite-shadow-repository';
import { createSqliteUserStore } from './sqlite-user-repository';
import type { OpenStoreOptions, Store } from './store';

export function defaultAuditTrailPath(dbPath: string): string | null {
  if (dbPath === ':memory:' || dbPath === '') return null;
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.audit.jsonl`);
}

/** Opens (creating and migrating as needed) the SQLite database and assembles its repositories into a Store. */
export function openStore(dbPath: string, options: OpenStoreOptions = {}): Store {
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const { db, schemaVersion } = openDatabase(dbPath, {
    now,
    cacheSizeMb: options.cacheSizeMb,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  const trailPath = options.auditTrailPath === undefined ? defaultAuditTrailPath(dbPath) : options.auditTrailPath;
  const keyring = options.auditKeyring === undefined ? processAuditKeyring() : options.auditKeyring;
  const audit = createSqliteAuditLog(db, trailPath, iso, keyring);
  const inputs = createSqlitePredictionInputs(db);
  const batches = createSqliteBatchStore(db, { audit, inputs, iso });
  // Crash recovery: a batch whose process died while writing it was never visible; its rows go now.
  discardAbandonedBatches(db);

  return {
    path: dbPath,
    schemaVersion,
    experiments: createSqliteExperimentStore(db, iso),
    // The SQLite repositories carry a few more methods for each other; the Store type shows only the API.
    audit,
    batches,
    labels: createSqliteLabelStore(db, inputs, iso),
    drift: createSqliteDriftStore(db, iso),
    alerts: createSqliteAlertStore(db, iso),
    users: createSqliteUserStore(db, iso),
    reviews: createSqliteReviewStore(db, iso),
    promotionRequests: createSqlitePromotionRequestStore(db, iso),
    shadow: createSqliteShadowStore(db, iso),
    followUps: createSqliteFollowUpStore(db, iso),
    datasets: createSqliteDatasetStore(db, iso),
    settings: createSqliteSettingsStore(db, iso),
    backup(destination) {
      return backupDatabase(db, destination);
    },
    apiClients: createSqliteApiClientStore(db, iso),
    retention: createSqliteRetentionStore(db, audit, iso),
    transaction<T>(fn: () => T): T {
      return transaction(db, fn);
    },
    close() {
      batches.abandonOpenBatch();
      db.close();
    },
  };
}
