import { FEATURE_COLUMNS } from '../schema/columns';
import { immediateTransaction, type SqliteDatabase } from './database';
import type { LabelAddResult, LabelStore, MatchedLabel } from './label-repository';
import { categoryOf } from './risk-category-code';
import { num, type Row, str } from './row-values';
import type { PredictionInputs } from './sqlite-prediction-inputs';

const AGE_COLUMN = FEATURE_COLUMNS.indexOf('Age');

export function createSqliteLabelStore(db: SqliteDatabase, inputs: PredictionInputs, iso: () => string): LabelStore {
  return {
    add(list, meta) {
      return immediateTransaction(db, () => {
        const find = db.prepare('SELECT outcome FROM labels WHERE patient_id = ? AND diagnosis_date = ?');
        const insert = db.prepare(
          `INSERT INTO labels (patient_id, outcome, diagnosis_date, batch_id, row_index, source_file, source_sha256,
             imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        const at = iso();
        const result: LabelAddResult = { inserted: 0, unchanged: 0, conflicts: [] };
        for (const l of list) {
          // A missing diagnosis date is stored as '' so that the (patient, date) key stays unique.
          const date = l.diagnosisDate ?? '';
          const existing = find.get(l.patientId, date) as Row | undefined;
          if (existing) {
            if (existing.outcome === l.outcome) result.unchanged++;
            else
              result.conflicts.push({
                patientId: l.patientId,
                diagnosisDate: l.diagnosisDate,
                storedOutcome: existing.outcome as 0 | 1,
                newOutcome: l.outcome,
              });
            continue;
          }
          insert.run(
            l.patientId,
            l.outcome,
            date,
            l.batchId,
            l.rowIndex,
            meta.sourceFile,
            meta.sourceSha256,
            at,
            meta.importedBy,
          );
          result.inserted++;
        }
        return result;
      });
    },
    list() {
      return (db.prepare('SELECT * FROM labels ORDER BY id').all() as Row[]).map((r) => ({
        id: r.id as number,
        patientId: r.patient_id as string,
        outcome: r.outcome as 0 | 1,
        diagnosisDate: diagnosisDateOf(r),
        batchId: num(r.batch_id),
        rowIndex: num(r.row_index),
        sourceFile: str(r.source_file),
        importedAt: r.imported_at as string,
        importedBy: r.imported_by as string,
      }));
    },
    listMatched() {
      const read = inputs.reader();
      return matchedRows(db).map((r) =>
        toMatched(r, read.valueOf(r.batch_id as number, r.row_index as number, AGE_COLUMN)),
      );
    },
    listMatchedWithInputs() {
      const read = inputs.reader();
      return matchedRows(db).map((r) => {
        const values = read.inputsOf(r.batch_id as number, r.row_index as number);
        return { ...toMatched(r, values.Age ?? null), inputs: values };
      });
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM labels').get() as Row).n as number;
    },
  };
}

function matchedRows(db: SqliteDatabase): Row[] {
  return db
    .prepare(
      `SELECT l.id AS label_id, l.patient_id, l.outcome, l.diagnosis_date, p.batch_id, p.row_index, p.score,
         p.category, p.recommendation, b.model_version, b.threshold, b.prediction_date
       FROM labels l JOIN predictions p ON p.batch_id = l.batch_id AND p.row_index = l.row_index
       JOIN batches b ON b.id = p.batch_id ORDER BY b.prediction_date, p.batch_id, p.row_index`,
    )
    .all() as Row[];
}

function toMatched(r: Row, age: number | null): MatchedLabel {
  return {
    labelId: r.label_id as number,
    patientId: r.patient_id as string,
    outcome: r.outcome as 0 | 1,
    diagnosisDate: diagnosisDateOf(r),
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    score: r.score as number,
    category: categoryOf(r.category),
    recommendation: (r.recommendation as number) === 1 ? 1 : 0,
    age,
    modelVersion: str(r.model_version),
    threshold: num(r.threshold),
    predictionDate: r.prediction_date as string,
  };
}

function diagnosisDateOf(r: Row): string | null {
  return r.diagnosis_date === '' ? null : (r.diagnosis_date as string);
}
