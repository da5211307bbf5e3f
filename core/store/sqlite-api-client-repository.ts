import type { ApiClientRecord, ApiClientStore } from './api-client-repository';
import type { SqliteDatabase } from './database';
import { type Row, str } from './row-values';
import { StoreError } from './store-error';

export function createSqliteApiClientStore(db: SqliteDatabase, iso: () => string): ApiClientStore {
  const byName = (name: string) => db.prepare('SELECT * FROM api_clients WHERE name = ?').get(name) as Row | undefined;
  return {
    create(input) {
      try {
        const info = db
          .prepare(
            `INSERT INTO api_clients (name, key_prefix, key_sha256, created_at, created_by)
             VALUES (?, ?, ?, ?, ?)`,
          )
          .run(input.name, input.keyPrefix, input.keySha256, iso(), input.createdBy);
        return toClient(db.prepare('SELECT * FROM api_clients WHERE id = ?').get(info.lastInsertRowid) as Row);
      } catch (error) {
        if (error instanceof Error && /UNIQUE constraint failed: api_clients\.name/.test(error.message)) {
          throw new StoreError('conflict', `an API client named "${input.name}" exists`);
        }
        throw error;
      }
    },
    list() {
      return (db.prepare('SELECT * FROM api_clients ORDER BY id').all() as Row[]).map(toClient);
    },
    get(name) {
      const r = byName(name);
      return r ? toClient(r) : null;
    },
    byPrefix(prefix) {
      const r = db.prepare('SELECT * FROM api_clients WHERE key_prefix = ?').get(prefix) as Row | undefined;
      return r ? { client: toClient(r), keySha256: r.key_sha256 as string } : null;
    },
    revoke(name, by) {
      const r = byName(name);
      if (!r) throw new StoreError('not-found', `no API client named "${name}"`);
      db.prepare('UPDATE api_clients SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL').run(
        iso(),
        by,
        r.id,
      );
      return toClient(byName(name) as Row);
    },
    markUsed(id) {
      db.prepare('UPDATE api_clients SET last_used_at = ? WHERE id = ?').run(iso(), id);
    },
  };
}

function toClient(r: Row): ApiClientRecord {
  return {
    id: r.id as number,
    name: r.name as string,
    keyPrefix: r.key_prefix as string,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
    lastUsedAt: str(r.last_used_at),
    revokedAt: str(r.revoked_at),
    revokedBy: str(r.revoked_by),
  };
}
