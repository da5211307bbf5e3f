import type { Migration } from './migration';

export const MIGRATION_9_SHADOW_SCORING: Migration = {
  version: 9,
  name: 'shadow scoring: who put which candidate in shadow and when, and its scores beside production',
  // One shadow at a time: the partial unique index allows a single assignment that is not cleared. The history
  // stays (cleared rows), so every comparison can name the assignment its scores came from.
  // The shadow's model version is kept once per batch (shadow_batches), not on each of its rows, and its rows are
  // stored a read chunk at a time (shadow-blob.ts: scores, category codes and recommendations of rows first_row ..
  // first_row + row_count - 1, keyed by batch and row): a row per patient would cost more than the shadow's own
  // scoring, which is all shadow scoring may add to a batch.
  sql: `CREATE TABLE shadow_assignments (
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    model_version TEXT NOT NULL,
    onnx_sha256 TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    cleared_at TEXT,
    cleared_by TEXT
  );
  CREATE UNIQUE INDEX shadow_assignments_one_active ON shadow_assignments (cleared_at IS NULL)
    WHERE cleared_at IS NULL;
  CREATE TABLE shadow_batches (
    batch_id INTEGER PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
    assignment_id INTEGER NOT NULL REFERENCES shadow_assignments(id),
    model_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scored', 'failed')),
    error TEXT,
    row_count INTEGER NOT NULL
  );
  CREATE INDEX shadow_batches_version ON shadow_batches (model_version);
  CREATE TABLE shadow_scores (
    batch_id INTEGER NOT NULL REFERENCES shadow_batches(batch_id) ON DELETE CASCADE,
    first_row INTEGER NOT NULL,
    row_count INTEGER NOT NULL CHECK (row_count > 0),
    scores BLOB NOT NULL CHECK (length(scores) = 8 * row_count),
    categories BLOB NOT NULL CHECK (length(categories) = row_count),
    recommendations BLOB NOT NULL CHECK (length(recommendations) = row_count),
    PRIMARY KEY (batch_id, first_row)
  ) WITHOUT ROWID;`,
};
