import { type SqliteDatabase, transaction } from './database';
import type { Row } from './row-values';
import type { SettingsStore, StoredSettings } from './settings-repository';

export function createSqliteSettingsStore(db: SqliteDatabase, iso: () => string): SettingsStore {
  const get = (): StoredSettings | null => {
    const r = db.prepare('SELECT * FROM settings WHERE id = 1').get() as Row | undefined;
    if (!r) return null;
    return {
      values: JSON.parse(String(r.json)),
      version: Number(r.version),
      updatedBy: String(r.updated_by),
      updatedAt: String(r.updated_at),
    };
  };
  return {
    get,
    save(values, by, expectedVersion) {
      return transaction(db, () => {
        const current = get();
        if ((current?.version ?? null) !== expectedVersion) return null;
        const version = (current?.version ?? 0) + 1;
        db.prepare(
          `INSERT INTO settings (id, json, version, updated_by, updated_at) VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET json = excluded.json, version = excluded.version,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        ).run(JSON.stringify(values), version, by, iso());
        return get();
      });
    },
  };
}
