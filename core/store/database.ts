import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import type { Row } from './row-values';
import { StoreError } from './store-error';

/**
 * The only better-sqlite3 import: opening a connection, its pragmas, migrations and transactions. The repositories
 * receive the open connection; nothing outside core/store sees a driver type.
 */
export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

/** A bare connection: no pragmas, no migrations. */
export function connect(dbPath: string): SqliteDatabase {
  return new Database(dbPath);
}

interface DatabaseOptions {
  now: () => Date;
  /** SQLite page cache per connection, in MiB (default 16). */
  cacheSizeMb?: number;
  /** How long a write waits for another connection's write lock before failing with SQLITE_BUSY (default 30 s). */
  busyTimeoutMs?: number;
}

/**
 * WAL journal, foreign keys on, migrated to the latest schema.
 * synchronous=NORMAL: in WAL mode a power cut can lose the last commits but never corrupts the database,
 * and a killed process loses nothing that was committed.
 */
export function openDatabase(dbPath: string, options: DatabaseOptions): { db: SqliteDatabase; schemaVersion: number } {
  const db = connect(dbPath);
  // 16 KiB pages make storing a large batch cheaper than the default 4 KiB. It only takes effect on a new
  // database (before WAL and the first table); an existing one keeps its page size.
  db.pragma('page_size = 16384');
  if (dbPath !== ':memory:' && dbPath !== '') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Statement journals (every multi-row INSERT of a batch's transaction keeps one), temporary tables and sorts in
  // memory: SQLite's default spills them to files in /var/tmp (or SQLITE_TMPDIR), copies of pages that hold patient
  // rows outside the database's owner-only folder, and one write per page. Each is bounded by one statement's pages
  // or one query's sort.
  db.pragma('temp_store = MEMORY');
  // A write waits for another connection's write to finish before failing: the CLI from cron and the desktop app
  // may share a database, and a batch holds the write lock for its whole transaction.
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 30_000))}`);
  // A bounded page cache: a bigger one does not make storing a batch cheaper.
  db.pragma(`cache_size = -${Math.round((options.cacheSizeMb ?? 16) * 1024)}`);
  const schemaVersion = migrate(db, options.now);
  return { db, schemaVersion };
}

/** An online copy of the whole database (SQLite's backup API): consistent even while others write. */
export async function backupDatabase(db: SqliteDatabase, destination: string): Promise<void> {
  await db.backup(destination);
}

/** Runs fn in one transaction (nested calls become savepoints). */
export function transaction<T>(db: SqliteDatabase, fn: () => T): T {
  return db.transaction(fn)();
}

/** Runs fn in one transaction that takes the write lock at once (BEGIN IMMEDIATE), so other processes wait. */
export function immediateTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Applies the migrations after the database's version, up to `upTo` (default: all); returns the version reached. */
export function migrate(db: SqliteDatabase, now: () => Date, upTo?: number): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const current = (db.prepare('SELECT max(version) AS v FROM schema_version').get() as Row).v as number | null;
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  if ((current ?? 0) > latest) {
    throw new StoreError(
      'schema-too-new',
      `the database schema is version ${current}, newer than this app supports (${latest}); update the app`,
    );
  }
  const target = upTo ?? latest;
  if ((current ?? 0) >= target) return current ?? 0;
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  const applied = db.prepare('SELECT 1 FROM schema_version WHERE version = ?');
  // Off while migrating (it cannot change inside a transaction): rebuilding a table must not cascade deletes.
  // Every foreign key is checked before each migration commits instead.
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of MIGRATIONS) {
      if (migration.version <= (current ?? 0) || migration.version > target) continue;
      immediateTransaction(db, () => {
        // Another process may have applied it while this one waited for the write lock.
        if (applied.get(migration.version)) return;
        db.exec(migration.sql);
        migration.after?.(db);
        const broken = db.pragma('foreign_key_check') as Row[];
        if (broken.length > 0) {
          throw new Error(
            `migration ${migration.version} would break ${broken.length} foreign keys (first: ${JSON.stringify(broken[0])})`,
          );
        }
        record.run(migration.version, migration.name, now().toISOString());
      });
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return target;
}
