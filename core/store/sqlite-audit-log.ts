import { type ChainRow, GENESIS_HASH, hashEvent, verifyChain } from './audit-chain';
import type { AuditEvent, AuditInput, AuditListOptions, AuditLog } from './audit-log';
import { appendTrail, readTrail, type TrailLine } from './audit-trail';
import { immediateTransaction, type SqliteDatabase, transaction } from './database';
import { json, parseJson, type Row, str } from './row-values';

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
  };
}

export function createSqliteAuditLog(db: SqliteDatabase, trailPath: string | null, iso: () => string): SqliteAuditLog {
  /** Trail lines held back while a batch transaction is open; written only once it commits. */
  let pendingTrail: TrailLine[] = [];
  let holding = false;
  const writeTrail = (lines: TrailLine[]) => {
    if (!trailPath) return;
    if (holding) pendingTrail.push(...lines);
    else appendTrail(trailPath, lines);
  };

  const lastEvent = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const insertEvent = db.prepare(
    'INSERT INTO audit_events (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
  });
  const toEvent = (r: Row): AuditEvent => ({ ...toChainRow(r), details: parseJson(r.details, {}) });
  const appendInTransaction = (input: AuditInput): AuditEvent => {
    const last = lastEvent.get() as Row | undefined;
    const row: Omit<ChainRow, 'hash'> = {
      seq: last ? (last.seq as number) + 1 : 1,
      at: iso(),
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      details: json(input.details),
      prevHash: last ? (last.hash as string) : GENESIS_HASH,
    };
    const hash = hashEvent(row);
    insertEvent.run(row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prevHash, hash);
    return { ...row, details: parseJson(row.details, {}), hash };
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
      const event = db.inTransaction
        ? transaction(db, () => appendInTransaction(input))
        : immediateTransaction(db, () => appendInTransaction(input));
      writeTrail([eventTrailLine(event)]);
      return event;
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
      const result = verifyChain(chainRows, trail?.eventHashes);
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
