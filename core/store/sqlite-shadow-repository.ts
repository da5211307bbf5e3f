import { immediateTransaction, type SqliteDatabase } from './database';
import { categoryOf } from './risk-category-code';
import { type Row, str } from './row-values';
import { type DecodedShadowRows, decodeShadowBlobs, type ShadowBlobs } from './shadow-blob';
import type {
  LabelledShadowPair,
  ShadowAssignment,
  ShadowBatchRecord,
  ShadowPair,
  ShadowStore,
} from './shadow-repository';
import { StoreError } from './store-error';

const SHADOW_BATCH_SELECT = `SELECT sb.*, b.model_version AS production_version, b.prediction_date
  FROM shadow_batches sb JOIN batches b ON b.id = sb.batch_id`;

export function createSqliteShadowStore(db: SqliteDatabase, iso: () => string): ShadowStore {
  const scoredBatches = (modelVersion: string) =>
    db
      .prepare(
        `SELECT sb.batch_id, sb.row_count, b.prediction_date FROM shadow_batches sb JOIN batches b ON b.id = sb.batch_id
         WHERE sb.model_version = ? AND sb.status = 'scored' ORDER BY sb.batch_id`,
      )
      .all(modelVersion) as Row[];
  /** The shadow's rows of one batch, decoded from its chunks; every row must be there. */
  const shadowRowsOf = (batchId: number, rowCount: number): DecodedShadowRows => {
    const all: DecodedShadowRows = {
      scores: new Float64Array(rowCount),
      categories: new Array(rowCount),
      recommendations: new Uint8Array(rowCount),
    };
    let covered = 0;
    const chunks = db
      .prepare('SELECT * FROM shadow_scores WHERE batch_id = ? ORDER BY first_row')
      .all(batchId) as Row[];
    for (const c of chunks) {
      const first = c.first_row as number;
      const count = c.row_count as number;
      if (first !== covered || first + count > rowCount) {
        throw new StoreError('invalid', `the shadow scores of batch ${batchId} do not cover its rows in order`);
      }
      const decoded = decodeShadowBlobs(c as unknown as ShadowBlobs, count, `batch ${batchId} from row ${first}`);
      all.scores.set(decoded.scores, first);
      all.recommendations.set(decoded.recommendations, first);
      for (let i = 0; i < count; i++) all.categories[first + i] = decoded.categories[i];
      covered += count;
    }
    if (covered !== rowCount) {
      throw new StoreError('invalid', `the shadow scores of batch ${batchId} hold ${covered} of its ${rowCount} rows`);
    }
    return all;
  };
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
      const rows = db.prepare(
        `SELECT batch_id, row_index, patient_id, score, category, recommendation FROM predictions
         WHERE batch_id = ? ORDER BY row_index`,
      );
      return scoredBatches(modelVersion).flatMap((batch) => {
        const shadow = shadowRowsOf(batch.batch_id as number, batch.row_count as number);
        return (rows.all(batch.batch_id) as Row[]).map((r) => toPair(r, batch.prediction_date as string, shadow));
      });
    },
    comparisonKey(modelVersion) {
      // Aggregates only, no blob decoded: the store only ever adds batches and labels (a restore swaps the whole
      // store), and an addition moves a count, a maximum id or a sum here.
      const shadow = db
        .prepare(
          `SELECT count(*) AS n, coalesce(max(sb.batch_id), 0) AS last, total(sb.row_count) AS rows,
             total(sb.status = 'failed') AS failed, group_concat(sb.batch_id || ':' || coalesce(b.model_version, ''))
             AS versions
           FROM shadow_batches sb JOIN batches b ON b.id = sb.batch_id WHERE sb.model_version = ?`,
        )
        .get(modelVersion) as Row;
      const labels = db
        .prepare(
          `SELECT count(*) AS n, coalesce(max(id), 0) AS last, total(outcome) AS positives, total(batch_id) AS batches,
             total(row_index) AS rows FROM labels WHERE batch_id IN
             (SELECT batch_id FROM shadow_batches WHERE model_version = ?)`,
        )
        .get(modelVersion) as Row;
      return JSON.stringify([modelVersion, shadow, labels]);
    },
    labelledPairs(modelVersion) {
      // Labels were matched to a prediction (batch, row) on import, by patient_id and date, as monitoring uses them.
      const labelled = db.prepare(
        `SELECT p.batch_id, p.row_index, p.patient_id, p.score, p.category, p.recommendation, l.outcome
         FROM labels l JOIN predictions p ON p.batch_id = l.batch_id AND p.row_index = l.row_index
         WHERE l.batch_id = ? ORDER BY p.row_index`,
      );
      return scoredBatches(modelVersion)
        .sort((a, b) => String(a.prediction_date).localeCompare(String(b.prediction_date)))
        .flatMap((batch) => {
          const rows = labelled.all(batch.batch_id) as Row[];
          if (rows.length === 0) return [];
          const shadow = shadowRowsOf(batch.batch_id as number, batch.row_count as number);
          return rows.map(
            (r): LabelledShadowPair => ({
              ...toPair(r, batch.prediction_date as string, shadow),
              outcome: r.outcome === 1 ? 1 : 0,
            }),
          );
        });
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

function toPair(r: Row, predictionDate: string, shadow: DecodedShadowRows): ShadowPair {
  const i = r.row_index as number;
  return {
    batchId: r.batch_id as number,
    rowIndex: i,
    patientId: r.patient_id as string,
    predictionDate,
    production: {
      score: r.score as number,
      category: categoryOf(r.category),
      recommendation: r.recommendation === 1 ? 1 : 0,
    },
    shadow: {
      score: shadow.scores[i],
      category: shadow.categories[i],
      recommendation: shadow.recommendations[i] === 1 ? 1 : 0,
    },
  };
}
