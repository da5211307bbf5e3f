import type { SqliteDatabase } from './database';
import { immediateTransaction } from './database';
import type { DatasetStore, DatasetVersion } from './dataset-repository';
import { json, parseJson, type Row, str } from './row-values';

export function createSqliteDatasetStore(db: SqliteDatabase, iso: () => string): DatasetStore {
  const find = db.prepare('SELECT * FROM dataset_versions WHERE sha256 = ?');
  return {
    record(input) {
      return immediateTransaction(db, () => {
        const existing = find.get(input.sha256) as Row | undefined;
        if (existing) return { version: toVersion(existing), created: false };
        db.prepare(
          `INSERT INTO dataset_versions (sha256, file_name, rows_total, rows_by_source, excluded, label_from, label_to,
             created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          input.sha256,
          input.fileName,
          input.rowsTotal,
          json(input.rowsBySource),
          json(input.excluded),
          input.labelFrom,
          input.labelTo,
          iso(),
          input.createdBy,
        );
        return { version: toVersion(find.get(input.sha256) as Row), created: true };
      });
    },
    bySha256(sha256) {
      const r = find.get(sha256) as Row | undefined;
      return r ? toVersion(r) : null;
    },
    list() {
      return (db.prepare('SELECT * FROM dataset_versions ORDER BY id DESC').all() as Row[]).map(toVersion);
    },
  };
}

function toVersion(r: Row): DatasetVersion {
  return {
    id: r.id as number,
    sha256: r.sha256 as string,
    fileName: r.file_name as string,
    rowsTotal: r.rows_total as number,
    rowsBySource: parseJson(r.rows_by_source, {}),
    excluded: parseJson(r.excluded, {}),
    labelFrom: str(r.label_from),
    labelTo: str(r.label_to),
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
  };
}
