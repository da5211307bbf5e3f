import type { Migration } from './migration';

/** The first schema: every table the app uses. */
export const MIGRATION_1_INITIAL_SCHEMA: Migration = {
  version: 1,
  name: 'experiments, audit, batches, predictions, rejected rows, labels, drift, alerts, users, reviews',
  sql: `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('train', 'cv', 'bench')),
  params TEXT NOT NULL,
  data_sha256 TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  artifact_paths TEXT NOT NULL DEFAULT '[]',
  metrics TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE run_tags (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE TABLE run_metrics (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  step INTEGER,
  value REAL,
  logged_at TEXT NOT NULL
);
CREATE INDEX run_metrics_by_run ON run_metrics(run_id, key, step);
CREATE TABLE trials (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  params TEXT NOT NULL,
  value REAL,
  state TEXT NOT NULL CHECK (state IN ('complete', 'infeasible', 'failed')),
  metrics TEXT NOT NULL DEFAULT '{}',
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (run_id, number)
) WITHOUT ROWID;

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  file_path TEXT,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'rejected', 'failed')),
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
  errors TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX batches_by_sha256 ON batches(file_sha256);

-- Clustered by (batch, row): a batch is written in order, so inserts append to the b-tree.
CREATE TABLE predictions (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  row_index INTEGER NOT NULL,
  line INTEGER NOT NULL,
  patient_id TEXT NOT NULL,
  pregnancies REAL,
  glucose REAL,
  blood_pressure REAL,
  skin_thickness REAL,
  insulin REAL,
  bmi REAL,
  diabetes_pedigree_function REAL,
  age REAL,
  score REAL NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('Low', 'Medium', 'High')),
  recommendation INTEGER NOT NULL CHECK (recommendation IN (0, 1)),
  PRIMARY KEY (batch_id, row_index)
) WITHOUT ROWID;
CREATE INDEX predictions_by_patient ON predictions(patient_id);

CREATE TABLE rejected_rows (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  line INTEGER,
  patient_id TEXT,
  rule TEXT NOT NULL,
  column_name TEXT,
  value TEXT,
  message TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
  PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  outcome INTEGER NOT NULL CHECK (outcome IN (0, 1)),
  diagnosis_date TEXT NOT NULL DEFAULT '',
  batch_id INTEGER REFERENCES batches(id) ON DELETE SET NULL,
  row_index INTEGER,
  source_file TEXT,
  source_sha256 TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (patient_id, diagnosis_date)
);
CREATE INDEX labels_by_prediction ON labels(batch_id, row_index);

CREATE TABLE drift_results (
  batch_id INTEGER PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
  computed_at TEXT NOT NULL,
  dataset_drift INTEGER NOT NULL CHECK (dataset_drift IN (0, 1)),
  drifted_count INTEGER NOT NULL,
  report TEXT NOT NULL
);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  week TEXT,
  model_version TEXT,
  batch_id INTEGER REFERENCES batches(id) ON DELETE SET NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  raised_at TEXT NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at TEXT
);
-- NULLs are distinct in a UNIQUE constraint, so the identity of an alert is an expression index.
CREATE UNIQUE INDEX alerts_identity ON alerts(kind, ifnull(week, ''), ifnull(model_version, ''), ifnull(batch_id, 0));

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('clinician', 'admin')),
  scrypt_n INTEGER NOT NULL,
  scrypt_r INTEGER NOT NULL,
  scrypt_p INTEGER NOT NULL,
  key_length INTEGER NOT NULL,
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL,
  row_index INTEGER NOT NULL,
  patient_id TEXT NOT NULL,
  reviewed_by TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (batch_id, row_index) REFERENCES predictions(batch_id, row_index) ON DELETE CASCADE
);
CREATE INDEX reviews_by_prediction ON reviews(batch_id, row_index);
`,
};
