import type { SqliteDatabase } from './database';
import type { PromotionRequestRecord, PromotionRequestStore } from './promotion-request-repository';
import { json, parseJson, type Row, str } from './row-values';
import { StoreError } from './store-error';

function recordOf(row: Row): PromotionRequestRecord {
  return {
    id: Number(row.id),
    modelId: String(row.model_id),
    version: String(row.version),
    metadataSha256: String(row.metadata_sha256),
    requestedBy: String(row.requested_by),
    requestedAt: String(row.requested_at),
    overrideReason: str(row.override_reason),
    gates: parseJson<unknown[]>(row.gates, []),
    status: row.status as PromotionRequestRecord['status'],
    decidedBy: str(row.decided_by),
    decidedAt: str(row.decided_at),
    decisionNote: str(row.decision_note),
  };
}

export function createSqlitePromotionRequestStore(db: SqliteDatabase, iso: () => string): PromotionRequestStore {
  const get = (id: number) => {
    const row = db.prepare('SELECT * FROM promotion_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? recordOf(row) : null;
  };
  return {
    create(input) {
      const pending = db
        .prepare("SELECT id FROM promotion_requests WHERE model_id = ? AND status = 'pending'")
        .get(input.modelId) as Row | undefined;
      if (pending)
        throw new StoreError('conflict', `${input.modelId} already has a pending promotion request (${pending.id})`);
      const info = db
        .prepare(
          `INSERT INTO promotion_requests (model_id, version, metadata_sha256, requested_by, requested_at,
             override_reason, gates, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
        )
        .run(
          input.modelId,
          input.version,
          input.metadataSha256,
          input.requestedBy,
          iso(),
          input.overrideReason,
          json(input.gates),
        );
      return get(Number(info.lastInsertRowid)) as PromotionRequestRecord;
    },
    get,
    listPending() {
      return (db.prepare("SELECT * FROM promotion_requests WHERE status = 'pending' ORDER BY id").all() as Row[]).map(
        recordOf,
      );
    },
    decide(id, decision) {
      const current = get(id);
      if (!current) throw new StoreError('not-found', `there is no promotion request ${id}`);
      if (current.status !== 'pending')
        throw new StoreError('conflict', `promotion request ${id} was ${current.status} already`);
      db.prepare(
        'UPDATE promotion_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?',
      ).run(decision.status, decision.by, iso(), decision.note, id);
      return get(id) as PromotionRequestRecord;
    },
  };
}
