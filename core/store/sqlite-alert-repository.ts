import type { AlertRecord } from '../api/monitoring-types';
import type { AlertInput, AlertStore } from './alert-repository';
import { type SqliteDatabase, transaction } from './database';
import { json, num, parseJson, type Row, str } from './row-values';

export function createSqliteAlertStore(db: SqliteDatabase, iso: () => string): AlertStore {
  const listAlerts = (openOnly: boolean): AlertRecord[] => {
    const sql = openOnly
      ? 'SELECT * FROM alerts WHERE acknowledged_at IS NULL ORDER BY id DESC'
      : 'SELECT * FROM alerts ORDER BY id DESC';
    return (db.prepare(sql).all() as Row[]).map(toAlert);
  };
  return {
    raise(a: AlertInput) {
      return transaction(db, () => {
        const info = db
          .prepare(
            `INSERT INTO alerts (kind, week, model_version, batch_id, message, details, raised_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(a.kind, a.week ?? null, a.modelVersion ?? null, a.batchId ?? null, a.message, json(a.details), iso());
        const r = db
          .prepare(
            `SELECT * FROM alerts WHERE kind = ? AND ifnull(week, '') = ? AND ifnull(model_version, '') = ?
               AND ifnull(batch_id, 0) = ?`,
          )
          .get(a.kind, a.week ?? '', a.modelVersion ?? '', a.batchId ?? 0) as Row;
        return { alert: toAlert(r), created: info.changes === 1 };
      });
    },
    list() {
      return listAlerts(false);
    },
    listOpen() {
      return listAlerts(true);
    },
    acknowledge(id, by) {
      return (
        db
          .prepare(
            'UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL',
          )
          .run(by, iso(), id).changes === 1
      );
    },
  };
}

function toAlert(r: Row): AlertRecord {
  return {
    id: r.id as number,
    kind: r.kind as string,
    week: str(r.week),
    modelVersion: str(r.model_version),
    batchId: num(r.batch_id),
    message: r.message as string,
    details: parseJson(r.details, {}),
    raisedAt: r.raised_at as string,
    acknowledgedBy: str(r.acknowledged_by),
    acknowledgedAt: str(r.acknowledged_at),
  };
}
