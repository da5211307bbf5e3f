import type { AuditKeyring } from '../audit-key/keyring';
import type { AlertStore } from './alert-repository';
import type { ApiClientStore } from './api-client-repository';
import type { AuditLog } from './audit-log';
import type { BatchStore } from './batch-repository';
import type { DatasetStore } from './dataset-repository';
import type { DriftStore } from './drift-repository';
import type { ExperimentStore } from './experiment-repository';
import type { FollowUpStore } from './follow-up-repository';
import type { LabelStore } from './label-repository';
import type { PromotionRequestStore } from './promotion-request-repository';
import type { RetentionStore } from './retention-repository';
import type { ReviewStore } from './review-repository';
import type { SettingsStore } from './settings-repository';
import type { ShadowStore } from './shadow-repository';
import type { UserStore } from './user-repository';

/** The store's API: one repository per aggregate. sqlite-store.ts builds it; everything else receives a Store. */
export interface Store {
  readonly path: string;
  readonly schemaVersion: number;
  readonly experiments: ExperimentStore;
  readonly audit: AuditLog;
  readonly batches: BatchStore;
  readonly labels: LabelStore;
  readonly drift: DriftStore;
  readonly alerts: AlertStore;
  readonly users: UserStore;
  readonly reviews: ReviewStore;
  readonly promotionRequests: PromotionRequestStore;
  readonly shadow: ShadowStore;
  readonly followUps: FollowUpStore;
  readonly datasets: DatasetStore;
  readonly settings: SettingsStore;
  /** Writes a consistent copy of the database to `destination` (a new file), while the store stays usable. */
  backup(destination: string): Promise<void>;
  readonly apiClients: ApiClientStore;
  /** Retention purges: patient rows removed, weekly aggregates and the audit chain kept. */
  readonly retention: RetentionStore;
  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  /** The JSONL audit trail; default `<db dir>/<db name>.audit.jsonl`; null for none (default for ':memory:'). */
  auditTrailPath?: string | null;
  /** Injectable clock for tests. */
  now?: () => Date;
  /** SQLite page cache per connection, in MiB (default 16). */
  cacheSizeMb?: number;
  /** How long a write waits for another connection's write lock (default 30 s). */
  busyTimeoutMs?: number;
  /** The audit keys; default the process's (core/audit-key); null for plain SHA-256 links. */
  auditKeyring?: AuditKeyring | null;
}
