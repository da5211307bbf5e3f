/**
 * Versioned schema migrations, applied in order, each in its own transaction (database.ts runs them, with
 * foreign keys off so that a table can be rebuilt, and checks every foreign key before committing).
 * Never edit a migration that has shipped: add a new one. The version is recorded in schema_version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Code run after `sql` in the same transaction (data conversions SQL cannot do); throwing aborts the migration. */
  after?: (db: MigrationDatabase) => void;
}

/** The part of better-sqlite3's Database a migration uses (only database.ts imports the driver). */
export interface MigrationDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): unknown;
  };
}
