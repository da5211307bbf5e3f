import { createHash } from 'node:crypto';
import type { AuditKeyring } from '../audit-key/keyring';
import {
  type ChainRow,
  GENESIS_HASH,
  hashEvent,
  hmacEvent,
  KEY_ROTATED,
  KEYED_LINKS_STARTED,
  nextKeyId,
  verifyChain,
} from './audit-chain';
import type { AuditEvent, AuditInput, AuditListOptions, AuditLog } from './audit-log';
import { appendTrail, readTrail, type TrailLine } from './audit-trail';
import { immediateTransaction, type SqliteDatabase, transaction } from './database';
import { json, parseJson, type Row, str } from './row-values';
import { StoreError } from './store-error';

/** What the batch writer needs besides the AuditLog: its audit event and trail lines belong to its transaction. */
export interface SqliteAuditLog extends AuditLog {
  /** Appends the next link inside the caller's open transaction; the caller writes its trail line after COMMIT. */
  appendInTransaction(input: AuditInput): AuditEvent;
  /** From now on, trail lines wait (a batch transaction is open): written by releaseTrail, dropped by dropHeldTrail. */
  holdTrail(): void;
  /** Writes the held lines, then `lines`, and stops holding. */
  releaseTrail(lines: TrailLine[]): void;
  dropHeldTrail(): void;
}

/** Links with the store's keyring from now on (a rotation is recorded by the next append or ensureKey). */
export interface KeyedAuditLog {
  setKeyring(ring: AuditKeyring | null): void;
}

export function eventTrailLine(e: AuditEvent): TrailLine {
  return {
    type: 'event',
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: e.details,
    prevHash: e.prevHash,
    hash: e.hash,
    keyId: e.keyId,
  };
}

export function createSqliteAuditLog(
  db: SqliteDatabase,
  trailPath: string | null,
  iso: () => string,
  initialKeyring: AuditKeyring | null = null,
): SqliteAuditLog & KeyedAuditLog {
  let keyring = initialKeyring;
  /** Key events appended ahead of the caller's event, whose trail lines are written with it after COMMIT. */
  let preamble: AuditEvent[] = [];
  /** Trail lines held back while a batch transaction is open; written only once it commits. */
  let pendingTrail: TrailLine[] = [];
  let holding = false;
  const writeTrail = (lines: TrailLine[]) => {
    if (!trailPath) return;
    if (holding) pendingTrail.push(...lines);
    else appendTrail(trailPath, lines);
  };

  const lastEvent = db.prepare('SELECT seq, hash, action, details, key_id FROM audit_events ORDER BY seq DESC LIMIT 1');
  const insertEvent = db.prepare(
    `INSERT INTO audit_events (seq, at, actor, action, subject, details, prev_hash, hash, key_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const toChainRow = (r: Row): ChainRow => ({
    seq: r.seq as number,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    subject: str(r.subject),
    details: r.details as string,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
    keyId: str(r.key_id),
    purgedBySeq: (r.purged_by_seq as number | null | undefined) ?? null,
  });
  const toEvent = (r: Row): AuditEvent => ({ ...toChainRow(r), details: parseJson(r.details, {}) });
  /** Writes one link after `last` with `keyId` (null: a plain SHA-256 link). */
  const link = (input: AuditInput, last: Row | undefined, keyId: string | null): AuditEvent => {
    const row: Omit<ChainRow, 'hash'> = {
      seq: last ? (last.seq as number) + 1 : 1,
      at: iso(),
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      details: json(input.details),
      prevHash: last ? (last.hash as string) : GENESIS_HASH,
      keyId,
    };
    let hash: string;
    if (keyId === null) hash = hashEvent(row);
    else {
      const key = keyring?.byId(keyId);
      if (!key) throw new StoreError('invalid', `the audit chain is linked with key ${keyId}, which is not available`);
      hash = hmacEvent(row, key.secret);
    }
    insertEvent.run(row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prevHash, hash, keyId);
    return { ...row, details: parseJson(row.details, {}), hash };
  };
  const lastRow = () => lastEvent.get() as Row | undefined;
  /**
   * Before the first keyed link of an old chain, the switch; when the keyring's current key is not the chain's,
   * the rotation, linked with the old key. Both are chain events, so a verifier knows which links to check how.
   */
  const keyPreamble = (actor: string): AuditEvent[] => {
    if (!keyring) return [];
    const added: AuditEvent[] = [];
    let last = lastRow();
    const chainKey = last
      ? nextKeyId({ action: last.action as string, details: last.details as string, keyId: str(last.key_id) })
      : null;
    if (last && chainKey === null) {
      added.push(
        link(
          { actor, action: KEYED_LINKS_STARTED, details: { keyId: keyring.current.id, algorithm: 'hmac-sha256' } },
          last,
          keyring.current.id,
        ),
      );
    } else if (chainKey !== null && chainKey !== keyring.current.id) {
      added.push(
        link(
          { actor, action: KEY_ROTATED, details: { keyId: chainKey, newKeyId: keyring.current.id } },
          last,
          chainKey,
        ),
      );
    }
    last = undefined;
    return added;
  };
  const appendInTransaction = (input: AuditInput): AuditEvent => {
    const added = keyPreamble(input.actor);
    if (holding) pendingTrail.push(...added.map(eventTrailLine));
    else preamble.push(...added);
    return link(input, lastRow(), keyring ? keyring.current.id : null);
  };
  const drainPreamble = () => {
    const lines = preamble.map(eventTrailLine);
    preamble = [];
    return lines;
  };
  const digestOf = (rows: unknown[][]) => {
    const hash = createHash('sha256');
    for (const r of rows) hash.update(`${JSON.stringify(r)}\n`);
    return hash.digest('hex');
  };

  return {
    trailPath,
    appendInTransaction,
    holdTrail() {
      holding = true;
      pendingTrail = [];
    },
    releaseTrail(lines) {
      const held = pendingTrail;
      holding = false;
      pendingTrail = [];
      writeTrail([...held, ...lines]);
    },
    dropHeldTrail() {
      holding = false;
      pendingTrail = [];
    },
    append(input) {
      // IMMEDIATE: read the chain head and write the next link under one write lock (other processes wait).
      let event: AuditEvent;
      try {
        event = db.inTransaction
          ? transaction(db, () => appendInTransaction(input))
          : immediateTransaction(db, () => appendInTransaction(input));
      } catch (error) {
        preamble = [];
        throw error;
      }
      writeTrail([...drainPreamble(), eventTrailLine(event)]);
      return event;
    },
    setKeyring(ring) {
      keyring = ring;
    },
    ensureKey(actor) {
      const added = immediateTransaction(db, () => keyPreamble(actor));
      writeTrail(added.map(eventTrailLine));
      return added;
    },
    head() {
      const last = db.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1').get() as Row | undefined;
      return last ? toEvent(last) : null;
    },
    keyring: () => keyring,
    labelDigest(sourceSha256) {
      // Sorted by the labels' identity, so the digest does not depend on insertion order or row ids.
      const rows = db
        .prepare(
          `SELECT patient_id, diagnosis_date, outcome, batch_id, row_index FROM labels WHERE source_sha256 = ?
           ORDER BY patient_id, diagnosis_date`,
        )
        .raw()
        .all(sourceSha256) as unknown[][];
      return { count: rows.length, sha256: digestOf(rows) };
    },
    list(opts: AuditListOptions = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (opts.afterSeq !== undefined) {
        where.push(opts.descending ? 'seq < ?' : 'seq > ?');
        params.push(opts.afterSeq);
      }
      if (opts.action !== undefined) {
        where.push('action = ?');
        params.push(opts.action);
      }
      const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${
        opts.descending ? 'DESC' : 'ASC'
      } LIMIT ?`;
      params.push(opts.limit ?? -1);
      return (db.prepare(sql).all(...params) as Row[]).map(toEvent);
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM audit_events').get() as Row).n as number;
    },
    verify() {
      const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<Row>;
      const chainRows = (function* () {
        for (const r of rows) yield toChainRow(r);
      })();
      const trail = trailPath ? readTrail(trailPath) : null;
      const result = verifyChain(chainRows, trail?.eventHashes, (id) => keyring?.byId(id)?.secret);
      if (trailPath && !trail && result.checked > 0) {
        result.problems.push({
          seq: 0,
          kind: 'deleted',
          message: `the JSONL audit trail ${trailPath} is missing, though the database holds ${result.checked} events`,
        });
        result.ok = false;
      }
      if (trail && trail.badLines.length > 0) {
        for (const line of trail.badLines) {
          result.problems.push({
            seq: 0,
            kind: 'edited',
            message: `line ${line} of the JSONL audit trail ${trailPath} is not valid JSON`,
          });
        }
        result.ok = false;
      }
      return result;
    },
  };
}
