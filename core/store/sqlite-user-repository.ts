import type { SqliteDatabase } from './database';
import type { Row } from './row-values';
import { StoreError } from './store-error';
import type { ScryptHash, SignInFailures, UserRecord, UserRole, UserStore } from './user-repository';

export function createSqliteUserStore(db: SqliteDatabase, iso: () => string): UserStore {
  const failuresOf = (username: string): SignInFailures | null => {
    const r = db.prepare('SELECT * FROM sign_in_failures WHERE username = ?').get(username) as Row | undefined;
    return r
      ? {
          count: r.count as number,
          lastFailureAt: r.last_failure_at as number,
          lockedUntil: (r.locked_until as number | null) ?? null,
        }
      : null;
  };
  return {
    create(input) {
      const p = input.password;
      try {
        const info = db
          .prepare(
            `INSERT INTO users (username, role, scrypt_n, scrypt_r, scrypt_p, key_length, salt, hash, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(input.username, input.role, p.n, p.r, p.p, p.keyLength, p.salt, p.hash, iso(), input.createdBy);
        return toUser(db.prepare('SELECT * FROM users WHERE id = ?').get(info.lastInsertRowid) as Row);
      } catch (error) {
        if (error instanceof Error && /UNIQUE constraint failed: users\.username/.test(error.message)) {
          throw new StoreError('conflict', `the username "${input.username}" is taken`);
        }
        throw error;
      }
    },
    get(username) {
      const r = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
      return r ? toUser(r) : null;
    },
    passwordOf(username) {
      const r = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
      if (!r) return null;
      return {
        n: r.scrypt_n as number,
        r: r.scrypt_r as number,
        p: r.scrypt_p as number,
        keyLength: r.key_length as number,
        salt: r.salt as string,
        hash: r.hash as string,
      } satisfies ScryptHash;
    },
    list() {
      return (db.prepare('SELECT * FROM users ORDER BY id').all() as Row[]).map(toUser);
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM users').get() as Row).n as number;
    },
    setPassword(username, p) {
      return (
        db
          .prepare(
            'UPDATE users SET scrypt_n = ?, scrypt_r = ?, scrypt_p = ?, key_length = ?, salt = ?, hash = ? WHERE username = ?',
          )
          .run(p.n, p.r, p.p, p.keyLength, p.salt, p.hash, username).changes === 1
      );
    },
    setDisabled(username, disabled) {
      return (
        db.prepare('UPDATE users SET disabled = ? WHERE username = ?').run(disabled ? 1 : 0, username).changes === 1
      );
    },
    setRole(username, role) {
      return db.prepare('UPDATE users SET role = ? WHERE username = ?').run(role, username).changes === 1;
    },
    failuresOf,
    recordFailure(username, at, lockedUntil) {
      db.prepare(
        `INSERT INTO sign_in_failures (username, count, last_failure_at, locked_until) VALUES (?, 1, ?, ?)
         ON CONFLICT(username) DO UPDATE SET count = count + 1, last_failure_at = excluded.last_failure_at,
           locked_until = coalesce(excluded.locked_until, locked_until)`,
      ).run(username, at, lockedUntil);
      return failuresOf(username) as SignInFailures;
    },
    clearFailures(username) {
      db.prepare('DELETE FROM sign_in_failures WHERE username = ?').run(username);
    },
  };
}

function toUser(r: Row): UserRecord {
  return {
    id: r.id as number,
    username: r.username as string,
    role: r.role as UserRole,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
    disabled: r.disabled === 1,
  };
}
