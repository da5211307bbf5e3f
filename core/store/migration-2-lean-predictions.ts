import { FEATURE_COLUMNS } from '../schema/columns';
import { decodeInputBlob, encodeInputBlob } from './input-blob';
import type { Migration, MigrationDatabase } from './migration';

export const MIGRATION_2_LEAN_PREDICTIONS: Migration = {
  version: 2,
  name: 'lean predictions (category as a code) and the validated inputs as per-chunk columnar blobs',
  // Most of the cost of storing a row was the 8 REAL input columns and the TEXT category with its CHECK.
  // The rows keep what is filtered and sorted on; the inputs (read whole chunks at a time, by --verify and the
  // monitoring refresh, or one row at a time for a patient) go to one blob per chunk (input-blob.ts).
  sql: `
-- category: 0 Low, 1 Medium, 2 High (risk-category-code.ts maps the codes in one place).
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
};

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
