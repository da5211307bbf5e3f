import type { Migration } from './migration';

const COLUMNS = `id, file_name, file_path, file_sha256, file_bytes, source, actor, status, model_version, model_dir,
  threshold, risk_cuts, prediction_date, started_at, finished_at, duration_ms, rows_read, rows_valid, rows_rejected,
  rows_with_warnings, rejected_by_rule, warnings_by_rule, count_high, count_medium, count_low, count_recommended,
  retry_attempts, rows_per_second, peak_rss_bytes, cpu_user_ms, cpu_system_ms, output_path, output_sha256, errors`;

export const MIGRATION_5_BATCH_UNITS_AND_HELD: Migration = {
  version: 5,
  name: "batches record their declared units, and may be 'held' (parsed, looked like another unit, not scored)",
  // SQLite cannot change a CHECK in place: the table is rebuilt under its own name (foreign keys are off while
  // migrating, so the rows that reference batches stay as they are and point at the new table).
  sql: `
CREATE TABLE batches_v5 (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  file_path TEXT,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'rejected', 'failed', 'held')),
  model_version TEXT,
  model_dir TEXT,
  threshold REAL,
  risk_cuts TEXT,
  prediction_date TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  duration_ms REAL,
  rows_read INTEGER NOT NULL DEFAULT 0,
  rows_valid INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  rows_with_warnings INTEGER NOT NULL DEFAULT 0,
  rejected_by_rule TEXT NOT NULL DEFAULT '{}',
  warnings_by_rule TEXT NOT NULL DEFAULT '{}',
  count_high INTEGER NOT NULL DEFAULT 0,
  count_medium INTEGER NOT NULL DEFAULT 0,
  count_low INTEGER NOT NULL DEFAULT 0,
  count_recommended INTEGER NOT NULL DEFAULT 0,
  retry_attempts INTEGER NOT NULL DEFAULT 0,
  rows_per_second REAL,
  peak_rss_bytes INTEGER,
  cpu_user_ms REAL,
  cpu_system_ms REAL,
  output_path TEXT,
  output_sha256 TEXT,
  errors TEXT NOT NULL DEFAULT '[]',
  -- JSON list of the units the file or the configuration declared: [{column, unit, multiplier, divisor, declaredIn}].
  units TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO batches_v5 (${COLUMNS}) SELECT ${COLUMNS} FROM batches ORDER BY id;
DROP TABLE batches;
ALTER TABLE batches_v5 RENAME TO batches;
CREATE INDEX batches_by_sha256 ON batches(file_sha256);
`,
};
