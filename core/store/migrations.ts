import { FEATURE_COLUMNS } from '../schema/columns';
import { decodeInputBlob, encodeInputBlob } from './input-blob';

/**
 * Versioned schema migrations, applied in order, each in its own transaction (sqlite-store.ts runs them, with
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

/** The part of better-sqlite3's Database a migration uses (only sqlite-store.ts imports the driver). */
export interface MigrationDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): unknown;
  };
}

export const MIGRATIONS: readonly Migration[] = [
  {
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
  },
  {
    version: 2,
    name: 'lean predictions (category as a code) and the validated inputs as per-chunk columnar blobs',
    // Storing a row cost ~2.5 us, most of it the 8 REAL input columns and the TEXT category with its CHECK.
    // The rows keep what is filtered and sorted on; the inputs (read whole chunks at a time, by --verify and the
    // monitoring refresh, or one row at a time for a patient) go to one blob per chunk (input-blob.ts).
    sql: `
-- category: 0 Low, 1 Medium, 2 High (sqlite-store.ts maps the codes in one place).
CREATE TABLE predictions_v2 (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  row_index INTEGER NOT NULL,
  line INTEGER NOT NULL,
  patient_id TEXT NOT NULL,
  score REAL NOT NULL,
  -- Not IN (0, 1, 2): a CHECK with an IN list of 3+ values builds a temporary table per INSERT statement (measured
  -- +0.25 us a row); the typeof test keeps it as strict (1.5 passes BETWEEN alone).
  category INTEGER NOT NULL CHECK (typeof(category) = 'integer' AND category BETWEEN 0 AND 2),
  recommendation INTEGER NOT NULL CHECK (recommendation IN (0, 1)),
  PRIMARY KEY (batch_id, row_index)
) WITHOUT ROWID;

-- The inputs of rows first_row .. first_row + row_count - 1 of a batch, columnar, in FEATURE_COLUMNS order.
CREATE TABLE prediction_inputs (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  first_row INTEGER NOT NULL,
  row_count INTEGER NOT NULL CHECK (row_count > 0),
  inputs BLOB NOT NULL,
  PRIMARY KEY (batch_id, first_row)
) WITHOUT ROWID;

INSERT INTO predictions_v2 (batch_id, row_index, line, patient_id, score, category, recommendation)
  SELECT batch_id, row_index, line, patient_id, score,
    CASE category WHEN 'Low' THEN 0 WHEN 'Medium' THEN 1 WHEN 'High' THEN 2 END, recommendation
  FROM predictions ORDER BY batch_id, row_index;
`,
    after(db) {
      copyInputsToBlobs(db);
      // Nothing may be lost: every batch keeps as many rows, and every row has its inputs.
      const counts = (sql: string) =>
        new Map((db.prepare(sql).all() as { batch_id: number; n: number }[]).map((r) => [r.batch_id, r.n]));
      const before = counts('SELECT batch_id, count(*) AS n FROM predictions GROUP BY batch_id');
      const rows = counts('SELECT batch_id, count(*) AS n FROM predictions_v2 GROUP BY batch_id');
      const inputs = counts('SELECT batch_id, sum(row_count) AS n FROM prediction_inputs GROUP BY batch_id');
      for (const [batchId, n] of before) {
        if (rows.get(batchId) !== n || inputs.get(batchId) !== n) {
          throw new Error(
            `migration 2: batch ${batchId} has ${n} predictions but ${rows.get(batchId) ?? 0} copied rows and ` +
              `${inputs.get(batchId) ?? 0} copied inputs`,
          );
        }
      }
      if (rows.size !== before.size || inputs.size !== before.size) {
        throw new Error('migration 2: the copied predictions name batches the old table does not');
      }
      // Rebuild under the same name, so that reviews' foreign key on predictions(batch_id, row_index) still holds.
      db.exec(`
DROP TABLE predictions;
ALTER TABLE predictions_v2 RENAME TO predictions;
CREATE INDEX predictions_by_patient ON predictions(patient_id);
`);
    },
  },
];

/** Migration 2's data step: the old REAL input columns (NULL = missing) become one blob per run of rows. */
function copyInputsToBlobs(db: MigrationDatabase): void {
  const SQL_COLUMNS = [
    'pregnancies',
    'glucose',
    'blood_pressure',
    'skin_thickness',
    'insulin',
    'bmi',
    'diabetes_pedigree_function',
    'age',
  ];
  // As the store writes them: at most 8192 rows per blob.
  const BLOB_ROWS = 8192;
  const k = FEATURE_COLUMNS.length;
  const nextRows = db.prepare(
    `SELECT row_index, ${SQL_COLUMNS.join(', ')} FROM predictions WHERE batch_id = ? AND row_index >= ?
     ORDER BY row_index LIMIT ${BLOB_ROWS}`,
  );
  const insert = db.prepare(
    'INSERT INTO prediction_inputs (batch_id, first_row, row_count, inputs) VALUES (?, ?, ?, ?)',
  );
  const columns = Array.from({ length: k }, () => new Float64Array(BLOB_ROWS));
  const write = (batchId: number, firstRow: number, count: number) => {
    const blob = encodeInputBlob(columns, 0, count);
    // The codec is exact by construction; a clinic's history is converted once, so check it value by value.
    const back = decodeInputBlob(blob, k);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < count; i++) {
        if (!Object.is(back.columns[c][i], columns[c][i])) {
          throw new Error(`migration 2: batch ${batchId} row ${firstRow + i} ${SQL_COLUMNS[c]} did not round-trip`);
        }
      }
    }
    insert.run(batchId, firstRow, count, blob);
  };
  const batchIds = (db.prepare('SELECT DISTINCT batch_id FROM predictions ORDER BY batch_id').all() as Row[]).map(
    (r) => r.batch_id as number,
  );
  for (const batchId of batchIds) {
    let from = 0;
    for (;;) {
      const rows = nextRows.all(batchId, from) as Row[];
      if (rows.length === 0) break;
      // A blob covers consecutive row indexes only; the store writes batches without gaps, but do not assume it.
      let firstRow = rows[0].row_index as number;
      let count = 0;
      for (const r of rows) {
        const rowIndex = r.row_index as number;
        if (rowIndex !== firstRow + count) {
          write(batchId, firstRow, count);
          firstRow = rowIndex;
          count = 0;
        }
        for (let c = 0; c < k; c++) {
          const v = r[SQL_COLUMNS[c]];
          columns[c][count] = v === null ? Number.NaN : (v as number);
        }
        count++;
      }
      write(batchId, firstRow, count);
      from = (rows[rows.length - 1].row_index as number) + 1;
    }
  }
}

type Row = Record<string, unknown>;
