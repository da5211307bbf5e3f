import type { Migration } from './migration';

export const MIGRATION_12_API_CLIENTS: Migration = {
  version: 12,
  name: 'API clients of the local scoring API (keys stored as hashes)',
  // Only the SHA-256 of a key is kept: keys are 32 random bytes, so a plain hash cannot be reversed by guessing,
  // and the key itself is shown once. The prefix is public: it names the key in lists without revealing it.
  sql: `CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    key_prefix TEXT NOT NULL UNIQUE,
    key_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    revoked_by TEXT
  );`,
};
