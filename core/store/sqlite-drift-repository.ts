import type { SqliteDatabase } from './database';
import type { DriftRecord, DriftStore } from './drift-repository';
import { parseJson, type Row } from './row-values';

export function createSqliteDriftStore(db: SqliteDatabase, iso: () => string): DriftStore {
  return {
    save(batchId, verdict, report) {
      db.prepare(
        `INSERT INTO drift_results (batch_id, computed_at, dataset_drift, drifted_count, report) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (batch_id) DO UPDATE SET computed_at = excluded.computed_at, dataset_drift = excluded.dataset_drift,
           drifted_count = excluded.drifted_count, report = excluded.report`,
      ).run(batchId, iso(), verdict.datasetDrift ? 1 : 0, verdict.driftedCount, JSON.stringify(report));
    },
    get(batchId) {
      const r = db.prepare('SELECT * FROM drift_results WHERE batch_id = ?').get(batchId) as Row | undefined;
      return r ? toDrift(r) : null;
    },
    list(limit) {
      return (db.prepare('SELECT * FROM drift_results ORDER BY batch_id DESC LIMIT ?').all(limit ?? -1) as Row[]).map(
        toDrift,
      );
    },
  };
}

function toDrift(r: Row): DriftRecord {
  return {
    batchId: r.batch_id as number,
    computedAt: r.computed_at as string,
    datasetDrift: r.dataset_drift === 1,
    driftedCount: r.drifted_count as number,
    report: parseJson(r.report, null),
  };
}
