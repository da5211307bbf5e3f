import { connect, migrate } from '../store/database';

/**
 * Database access for tests (and benchmarks) that goes around the Store on purpose. The product never uses it.
 */

/**
 * Creates a database at schema `version` exactly (migrations 1..version), or brings an older one up to it, without
 * opening a store. For migration tests: fill an old schema with raw SQL (execRawSql), then openStore migrates it.
 */
export function migrateDatabaseTo(dbPath: string, version: number): void {
  const db = connect(dbPath);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, () => new Date(), version);
  } finally {
    db.close();
  }
}

/**
 * Runs raw SQL on a database file outside the store's API, bypassing the audit: tamper tests write exactly what the
 * audit chain is meant to catch.
 */
export function execRawSql(dbPath: string, sql: string, params: readonly unknown[] = []): number {
  const db = connect(dbPath);
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
