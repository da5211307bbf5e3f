import type { Migration } from './migration';

export const MIGRATION_8_DATASET_VERSIONS: Migration = {
  version: 8,
  name: 'dataset versions: snapshots of assembled training sets, by sha256',
  // One row per distinct content (the sha256 names the snapshot file, as a DVC version would): assembling the same
  // rows again finds the row that is there. Runs trained on a snapshot carry its sha256 in runs.data_sha256.
  sql: `CREATE TABLE dataset_versions (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_by_source TEXT NOT NULL,
    excluded TEXT NOT NULL,
    label_from TEXT,
    label_to TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  );`,
};
