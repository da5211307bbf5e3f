import type { SqliteDatabase } from './database';
import type { ReviewRecord, ReviewStore } from './review-repository';
import type { Row } from './row-values';
import { WRITING_STATUS } from './sqlite-batch-writer';
import { StoreError } from './store-error';

export function createSqliteReviewStore(db: SqliteDatabase, iso: () => string): ReviewStore {
  return {
    add(input) {
      const p = db
        .prepare(
          `SELECT p.patient_id FROM predictions p JOIN batches b ON b.id = p.batch_id
           WHERE p.batch_id = ? AND p.row_index = ? AND b.status != '${WRITING_STATUS}'`,
        )
        .get(input.batchId, input.rowIndex) as Row | undefined;
      if (!p) throw new StoreError('not-found', `batch ${input.batchId} has no row ${input.rowIndex}`);
      const info = db
        .prepare(
          'INSERT INTO reviews (batch_id, row_index, patient_id, reviewed_by, reviewed_at, note) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(input.batchId, input.rowIndex, p.patient_id, input.reviewedBy, iso(), input.note);
      return toReview(db.prepare('SELECT * FROM reviews WHERE id = ?').get(info.lastInsertRowid) as Row);
    },
    list(batchId) {
      return (db.prepare('SELECT * FROM reviews WHERE batch_id = ? ORDER BY id').all(batchId) as Row[]).map(toReview);
    },
    forPrediction(batchId, rowIndex) {
      return (
        db
          .prepare('SELECT * FROM reviews WHERE batch_id = ? AND row_index = ? ORDER BY id')
          .all(batchId, rowIndex) as Row[]
      ).map(toReview);
    },
  };
}

function toReview(r: Row): ReviewRecord {
  return {
    id: r.id as number,
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    patientId: r.patient_id as string,
    reviewedBy: r.reviewed_by as string,
    reviewedAt: r.reviewed_at as string,
    note: r.note as string,
  };
}
