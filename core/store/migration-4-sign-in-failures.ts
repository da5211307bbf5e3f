import type { Migration } from './migration';

export const MIGRATION_4_SIGN_IN_FAILURES: Migration = {
  version: 4,
  name: 'sign-in failures per username, for back-off and lockout',
  // Kept for unknown usernames too (a lockout then says nothing about whether an account exists), and in the
  // database rather than in memory, so restarting the app does not reset the count.
  sql: `CREATE TABLE sign_in_failures (
    username TEXT PRIMARY KEY COLLATE NOCASE,
    count INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until INTEGER
  );`,
};
