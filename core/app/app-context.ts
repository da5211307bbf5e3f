import type { AccountDeps } from '../auth/accounts';
import type { ScryptParams } from '../auth/password-hash';
import { DEFAULT_BORDERLINE_BAND } from '../explain/borderline';
import type { BatchRecord } from '../store/batch-repository';
import type { Store } from '../store/store';
import type { UserRecord } from '../store/user-repository';
import type { AdminDeps } from './admin/admin-deps';
import type { RetrainTool } from './admin/retrain-process';
import type { CallContext } from './dispatch';
import type { LiveSettings } from './live-settings';
import type { BatchScreener, DatabaseBackups, ModelProvider } from './ports';
import { withTempFile } from './temp-upload';
import { WorklistCache } from './worklist/worklist-cache';

export interface AppDeps {
  store: Store;
  screener: BatchScreener;
  models: ModelProvider;
  /** Uploaded files are written here before the pipeline reads them, and removed afterwards. */
  tempDir: string;
  /** A number, or a function read at each session's check so a changed setting applies at once. */
  autoLockMinutes: number | (() => number);
  scrypt?: ScryptParams;
  now?: () => Date;
  logError?: (method: string, error: unknown) => void;
  /** Half-width of the borderline band around the threshold (probability scale); config risk.borderlineBand. */
  borderlineBand?: number | (() => number);
  /** The settings an admin edits in the app; without them the Settings view says so. */
  settings?: LiveSettings;
  /** Backing up and restoring the database; without it those methods say so. */
  backups?: DatabaseBackups;
  /** The admin views' models folder, training data and config; without it those views say so. */
  admin?: AdminDeps;
  /** Extra arguments for the retraining tool (tests: small settings). */
  retrainToolArgs?: readonly string[];
  /** Where the pipeline keeps copies of rejected files: a retention purge removes those of purged batches. */
  rejectedDir?: string;
  /** Which retraining tool runs (tests: the Electron bundle's); this installation's own otherwise. */
  locateRetrainTool?: () => RetrainTool | null;
}

/** What the handler modules share: the store, the ports, and the few lookups every group needs. */
export interface AppContext {
  store: Store;
  screener: BatchScreener;
  models: ModelProvider;
  admin: AdminDeps | undefined;
  settings: LiveSettings | undefined;
  backups: DatabaseBackups | undefined;
  rejectedDir: string | null;
  accounts: AccountDeps;
  worklists: WorklistCache;
  now(): Date;
  /** The signed-in user of a call that dispatch() has let through. */
  actor(ctx: CallContext): UserRecord;
  /** The batch a contract batch id names, or null. */
  batchRecord(batchId: string): BatchRecord | null;
  withTempFile<T>(fileName: string, content: string, run: (path: string) => Promise<T>): Promise<T>;
  /** Private folder for files main writes for the UI to read (streamed exports). */
  tempDir: string;
  /**
   * Runs fn after every call and exclusive run before it has settled: the calls share one store connection (see
   * createApp), so store writes from outside a call (a background job's end) must queue with them.
   */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T>;
}

export function createAppContext(deps: AppDeps): AppContext {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();
  return {
    store,
    screener: deps.screener,
    models: deps.models,
    admin: deps.admin,
    settings: deps.settings,
    backups: deps.backups,
    rejectedDir: deps.rejectedDir ?? null,
    accounts: { users: store.users, audit: store.audit, scrypt: deps.scrypt, now: () => now().getTime() },
    worklists: new WorklistCache(store, deps.borderlineBand ?? DEFAULT_BORDERLINE_BAND),
    now,
    actor: (ctx) => {
      const user = ctx.session.user;
      // dispatch() has checked access already; reaching here without a user is a programming error.
      if (!user) throw new Error('no signed-in user');
      return user;
    },
    batchRecord: (batchId) => {
      const id = Number(batchId);
      return Number.isSafeInteger(id) ? store.batches.get(id) : null;
    },
    withTempFile: (fileName, content, run) => withTempFile(deps.tempDir, fileName, content, run),
    tempDir: deps.tempDir,
    exclusive: (fn) => {
      const run = queue.then(fn);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
