import { immediateTransaction, type SqliteDatabase } from './database';
import { categoryOf } from './risk-category-code';
import { type Row, str } from './row-values';
import type {
  LabelledShadowPair,
  ShadowAssignment,
  ShadowBatchRecord,
  ShadowPair,
  ShadowStore,
} from './shadow-repository';
import { StoreError } from './store-error';

const PAIR_COLUMNS = `p.batch_id, p.row_index, p.patient_id, b.prediction_date, p.score, p.category, p.recommendation,
  s.score AS shadow_score, s.category AS shadow_category, s.recommendation AS shadow_recommendation`;
const PAIR_JOIN = `predictions p
  JOIN shadow_predictions s ON s.batch_id = p.batch_id AND s.row_index = p.row_index
  JOIN shadow_batches sb ON sb.batch_id = p.batch_id
  JOIN batches b ON b.id = p.batch_id`;

const SHADOW_BATCH_SELECT = `SELECT sb.*, b.model_version AS production_version, b.prediction_date
  FROM shadow_batches sb JOIN batches b ON b.id = sb.batch_id`;

export function createSqliteShadowStore(db: SqliteDatabase, iso: () => string): ShadowStore {
  const currentRow = () =>
    db.prepare('SELECT * FROM shadow_assignments WHERE cleared_at IS NULL').get() as Row | undefined;
  const clearCurrent = (actor: string, at: string): ShadowAssignment | null => {
    const row = currentRow();
    if (!row) return null;
    db.prepare('UPDATE shadow_assignments SET cleared_at = ?, cleared_by = ? WHERE id = ?').run(at, actor, row.id);
    return toAssignment({ ...row, cleared_at: at, cleared_by: actor });
  };
  return {
    current() {
      const row = currentRow();
      return row ? toAssignment(row) : null;
    },
    history() {
      return (db.prepare('SELECT * FROM shadow_assignments ORDER BY id DESC').all() as Row[]).map(toAssignment);
    },
    assign(input, actor) {
      if (!input.modelId || !input.modelVersion || !/^[0-9a-f]{64}$/.test(input.onnxSha256)) {
        throw new StoreError('invalid', 'a shadow assignment needs a model id, a version and the model sha256');
      }
      return immediateTransaction(db, () => {
        const at = iso();
        const previous = clearCurrent(actor, at);
        const info = db
          .prepare(
            `INSERT INTO shadow_assignments (model_id, model_version, onnx_sha256, assigned_at, assigned_by)
             VALUES (?, ?, ?, ?, ?)`,
          )
          .run(input.modelId, input.modelVersion, input.onnxSha256, at, actor);
        const row = db.prepare('SELECT * FROM shadow_assignments WHERE id = ?').get(info.lastInsertRowid) as Row;
        return { assignment: toAssignment(row), previous };
      });
    },
    clear(actor) {
      return immediateTransaction(db, () => clearCurrent(actor, iso()));
    },
    batches(modelVersion) {
      const sql = `${SHADOW_BATCH_SELECT} ${modelVersion === undefined ? '' : 'WHERE sb.model_version = ?'}
        ORDER BY sb.batch_id DESC`;
      const rows = (modelVersion === undefined ? db.prepare(sql).all() : db.prepare(sql).all(modelVersion)) as Row[];
      return rows.map(toShadowBatch);
    },
    forBatch(batchId) {
      const row = db.prepare(`${SHADOW_BATCH_SELECT} WHERE sb.batch_id = ?`).get(batchId) as Row | undefined;
      return row ? toShadowBatch(row) : null;
    },
    pairs(modelVersion) {
      return (
        db
          .prepare(
            `SELECT ${PAIR_COLUMNS} FROM ${PAIR_JOIN}
             WHERE sb.model_version = ? AND sb.status = 'scored' ORDER BY p.batch_id, p.row_index`,
          )
          .all(modelVersion) as Row[]
      ).map(toPair);
    },
    labelledPairs(modelVersion) {
      // Labels were matched to a prediction (batch, row) on import, by patient_id and date, as monitoring uses them.
      return (
        db
          .prepare(
            `SELECT ${PAIR_COLUMNS}, l.outcome FROM labels l JOIN ${PAIR_JOIN.replace(
              'predictions p',
              'predictions p ON p.batch_id = l.batch_id AND p.row_index = l.row_index',
            )}
             WHERE sb.model_version = ? AND sb.status = 'scored' ORDER BY b.prediction_date, p.batch_id, p.row_index`,
          )
          .all(modelVersion) as Row[]
      ).map((r): LabelledShadowPair => ({ ...toPair(r), outcome: r.outcome === 1 ? 1 : 0 }));
    },
  };
}

function toAssignment(r: Row): ShadowAssignment {
  return {
    id: r.id as number,
    modelId: r.model_id as string,
    modelVersion: r.model_version as string,
    onnxSha256: r.onnx_sha256 as string,
    assignedAt: r.assigned_at as string,
    assignedBy: r.assigned_by as string,
    clearedAt: str(r.cleared_at),
    clearedBy: str(r.cleared_by),
  };
}

function toShadowBatch(r: Row): ShadowBatchRecord {
  return {
    batchId: r.batch_id as number,
    assignmentId: r.assignment_id as number,
    modelVersion: r.model_version as string,
    status: r.status as ShadowBatchRecord['status'],
    error: str(r.error),
    rowCount: r.row_count as number,
    productionVersion: str(r.production_version),
    predictionDate: r.prediction_date as string,
  };
}

function toPair(r: Row): ShadowPair {
  return {
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    patientId: r.patient_id as string,
    predictionDate: r.prediction_date as string,
    production: {
      score: r.score as number,
      category: categoryOf(r.category),
      recommendation: r.recommendation === 1 ? 1 : 0,
    },
    shadow: {
      score: r.shadow_score as number,
      category: categoryOf(r.shadow_category),
      recommendation: r.shadow_recommendation === 1 ? 1 : 0,
    },
  };
}
