import { createHash, createHmac } from 'node:crypto';

/**
 * The audit hash chain, as pure functions so that it can be checked without a database.
 * Each event stores the hash of the event before it; its own hash covers that link and every field,
 * so editing, inserting or deleting a row breaks the chain at a place that can be named.
 * Links are HMAC-SHA-256 under an audit key kept away from the database (core/audit-key), so a rewritten chain
 * cannot be rehashed by someone without the key. Chains begun before keys existed have plain SHA-256 links up to
 * an 'audit.keyed-links-started' event; from it on every link is keyed, and an 'audit.key-rotated' event (linked
 * with the old key) names the key of the links after it.
 */

export const KEYED_LINKS_STARTED = 'audit.keyed-links-started';
export const KEY_ROTATED = 'audit.key-rotated';
/** A retention purge: its details list the events it tombstoned (tombstoneDigest), so a verifier can tell them apart from edits. */
export const RETENTION_PURGED = 'retention.purged';

/** The secrets a verifier holds, by key id. */
export type KeyLookup = (keyId: string) => Buffer | undefined;

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  /** The details exactly as stored (canonical JSON text). */
  details: string;
  prevHash: string;
  hash: string;
  /** The key of an HMAC link; null for a plain SHA-256 link (chains begun before keys existed). */
  keyId: string | null;
  /**
   * Set on a tombstone: the seq of the purge event that removed this event's subject and details. Its stored hash
   * is kept, so the links around it still verify; the content check is replaced by the purge event's digest.
   */
  purgedBySeq?: number | null;
}

/** What a purge event records of the events it tombstoned: how many, and a digest of their seqs and hashes. */
export interface TombstoneDigest {
  count: number;
  sha256: string;
}

/** The digest a purge event signs over its tombstones (seq order): each one's seq and stored hash. */
export function tombstoneDigest(tombstones: readonly { seq: number; hash: string }[]): TombstoneDigest {
  const hash = createHash('sha256');
  for (const t of [...tombstones].sort((a, b) => a.seq - b.seq)) hash.update(`${t.seq} ${t.hash}\n`);
  return { count: tombstones.length, sha256: hash.digest('hex') };
}

function tombstoneDigestIn(details: string): TombstoneDigest | null {
  try {
    const t = (JSON.parse(details) as { tombstones?: { count?: unknown; sha256?: unknown } }).tombstones;
    if (t && typeof t.count === 'number' && typeof t.sha256 === 'string') return { count: t.count, sha256: t.sha256 };
  } catch {
    // An unreadable purge event is reported as edited by its own hash check.
  }
  return null;
}

export type ChainProblemKind =
  | 'edited'
  | 'inserted'
  | 'deleted'
  | 'broken-link'
  | 'downgraded'
  | 'wrong-key'
  | 'unknown-key'
  | 'checkpoint'
  | 'content';

export interface ChainProblem {
  seq: number;
  kind: ChainProblemKind;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  problems: ChainProblem[];
}

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      // Stryker disable next-line ConditionalExpression: a key set to undefined is left out by JSON.stringify as well
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** A plain SHA-256 link (no key): what chains begun before keys existed hold. */
export function hashEvent(event: Omit<ChainRow, 'hash' | 'keyId'>): string {
  const body = JSON.stringify([event.seq, event.at, event.actor, event.action, event.subject, event.details]);
  return createHash('sha256').update(event.prevHash).update('\n').update(body).digest('hex');
}

/** A keyed link; the key id is part of what is signed, so a link cannot be moved to another key. */
export function hmacEvent(event: Omit<ChainRow, 'hash'>, secret: Buffer): string {
  const body = JSON.stringify([
    event.seq,
    event.at,
    event.actor,
    event.action,
    event.subject,
    event.details,
    event.keyId,
  ]);
  return createHmac('sha256', secret).update(event.prevHash).update('\n').update(body).digest('hex');
}

/** The key id the link after `row` must use, or null while the chain is unkeyed. */
export function nextKeyId(row: Pick<ChainRow, 'action' | 'details' | 'keyId'>): string | null {
  if (row.action === KEY_ROTATED && row.keyId !== null) {
    try {
      const next = (JSON.parse(row.details) as { newKeyId?: unknown }).newKeyId;
      if (typeof next === 'string') return next;
    } catch {
      // An unreadable rotation event is reported as edited; the key stays as it was.
    }
  }
  return row.keyId;
}

function describeEvent(row: ChainRow): string {
  return `event seq ${row.seq} (${row.action} by ${row.actor} at ${row.at})`;
}

/**
 * Walks the events in seq order. `trail` (seq -> hash, read from the JSONL trail) adds the checks a chain
 * cannot make on its own: a deleted last event, or a well-forged event appended at the end.
 */
export function verifyChain(
  rows: Iterable<ChainRow>,
  trail?: ReadonlyMap<number, string>,
  keyOf: KeyLookup = () => undefined,
): ChainVerification {
  const problems: ChainProblem[] = [];
  /** The key the next link must use; null until the chain switches to keyed links. */
  let expectedKey: string | null = null;
  let keyedSince: number | null = null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let prevPrevHash: string | null = null;
  let checked = 0;
  const seen = new Set<number>();
  const tombstones: ChainRow[] = [];
  /** Purge events whose own hash verified: seq -> the digest they signed over their tombstones. */
  const purges = new Map<number, TombstoneDigest | null>();
  for (const row of rows) {
    checked++;
    seen.add(row.seq);
    const gap = row.seq > expectedSeq;
    const problemsBefore = problems.length;
    const tombstoned = row.purgedBySeq !== undefined && row.purgedBySeq !== null;
    if (tombstoned) {
      // Its content is gone by design; whether a signed purge event vouches for that is checked at the end.
      tombstones.push(row);
      if (row.keyId === null && keyedSince !== null) {
        problems.push({
          seq: row.seq,
          kind: 'downgraded',
          message: `${describeEvent(row)} has an unkeyed link, though the chain has used keyed links since seq ${keyedSince}`,
        });
      }
      if (row.keyId !== null) keyedSince ??= row.seq;
    } else if (row.keyId === null) {
      if (keyedSince !== null) {
        // Unkeyed links are only valid before the switch: a later one is a link rehashed without the key.
        problems.push({
          seq: row.seq,
          kind: 'downgraded',
          message: `${describeEvent(row)} has an unkeyed link, though the chain has used keyed links since seq ${keyedSince}`,
        });
      } else if (hashEvent(row) !== row.hash) {
        problems.push({
          seq: row.seq,
          kind: 'edited',
          message: `${describeEvent(row)}: its content does not match its hash`,
        });
      }
    } else {
      const secret = keyOf(row.keyId);
      if (keyedSince === null && row.seq !== 1 && row.action !== KEYED_LINKS_STARTED) {
        problems.push({
          seq: row.seq,
          kind: 'wrong-key',
          message: `${describeEvent(row)} is keyed, but the chain's switch to keyed links (${KEYED_LINKS_STARTED}) is missing`,
        });
      } else if (expectedKey !== null && row.keyId !== expectedKey) {
        problems.push({
          seq: row.seq,
          kind: 'wrong-key',
          message: `${describeEvent(row)} is linked with key ${row.keyId}, but the chain's key at that point is ${expectedKey}`,
        });
      }
      if (!secret) {
        problems.push({
          seq: row.seq,
          kind: 'unknown-key',
          message: `${describeEvent(row)} is linked with audit key ${row.keyId}, which this verifier does not hold`,
        });
      } else if (hmacEvent(row, secret) !== row.hash) {
        problems.push({
          seq: row.seq,
          kind: 'edited',
          message: `${describeEvent(row)}: its content does not match its keyed hash (edited, or rehashed without the key)`,
        });
      }
      keyedSince ??= row.seq;
    }
    if (!tombstoned && row.action === RETENTION_PURGED && problems.length === problemsBefore) {
      purges.set(row.seq, tombstoneDigestIn(row.details));
    }
    expectedKey = nextKeyId(row);
    if (gap) {
      const range = row.seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seq ${expectedSeq}..${row.seq - 1}`;
      problems.push({
        seq: row.seq,
        kind: 'deleted',
        message: `event ${range} missing before ${describeEvent(row)}`,
      });
    } else if (row.prevHash !== prevHash) {
      if (
        // Stryker disable next-line ConditionalExpression: prevPrevHash is null only before the second row, and a stored prevHash is never null
        prevPrevHash !== null &&
        row.prevHash === prevPrevHash
      ) {
        problems.push({
          seq: row.seq - 1,
          kind: 'inserted',
          message: `event seq ${row.seq - 1} was inserted: ${describeEvent(row)} links past it to seq ${row.seq - 2}`,
        });
      } else {
        problems.push({
          seq: row.seq,
          kind: 'broken-link',
          message: `${describeEvent(row)} does not link to the hash of seq ${row.seq - 1}`,
        });
      }
    }
    prevPrevHash = prevHash;
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    if (trail) {
      const trailHash = trail.get(row.seq);
      if (trailHash === undefined) {
        problems.push({
          seq: row.seq,
          kind: 'inserted',
          message: `${describeEvent(row)} is in the database but not in the JSONL audit trail`,
        });
      } else if (trailHash !== row.hash) {
        problems.push({
          seq: row.seq,
          kind: 'edited',
          message: `${describeEvent(row)} has a different hash in the JSONL audit trail`,
        });
      }
    }
  }
  problems.push(...checkTombstones(tombstones, purges));
  if (trail) {
    for (const seq of [...trail.keys()].sort((a, b) => a - b)) {
      if (!seen.has(seq)) {
        problems.push({
          seq,
          kind: 'deleted',
          message: `event seq ${seq} is in the JSONL audit trail but missing from the database`,
        });
      }
    }
  }
  return { ok: problems.length === 0, checked, problems };
}

/**
 * A tombstone is accepted only when a later, verified purge event names it (purgedBySeq) and that event's signed
 * digest covers exactly the tombstones that name it: marking an edited event as purged, or dropping a tombstone's
 * marker, changes the count or the digest.
 */
function checkTombstones(
  tombstones: readonly ChainRow[],
  purges: ReadonlyMap<number, TombstoneDigest | null>,
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const byPurge = new Map<number, ChainRow[]>();
  for (const row of tombstones) {
    const purgeSeq = row.purgedBySeq as number;
    // Stryker disable next-line EqualityOperator: a tombstone naming its own seq names no purge (tombstones never enter purges)
    if (purgeSeq <= row.seq || !purges.has(purgeSeq)) {
      problems.push({
        seq: row.seq,
        kind: 'edited',
        message: `${describeEvent(row)} is marked purged, but no verified purge event (seq ${purgeSeq}) after it lists it: its content was removed outside a purge`,
      });
      continue;
    }
    const group = byPurge.get(purgeSeq) ?? [];
    group.push(row);
    byPurge.set(purgeSeq, group);
  }
  for (const [purgeSeq, signed] of purges) {
    const found = tombstoneDigest(byPurge.get(purgeSeq) ?? []);
    if (signed === null) {
      problems.push({
        seq: purgeSeq,
        kind: 'edited',
        message: `purge event seq ${purgeSeq} carries no tombstone digest`,
      });
      // Stryker disable next-line ConditionalExpression: another count hashes other lines, so the sha256 differs as well
    } else if (found.count !== signed.count || found.sha256 !== signed.sha256) {
      problems.push({
        seq: purgeSeq,
        kind: 'edited',
        message: `purge event seq ${purgeSeq} tombstoned ${signed.count} events, but ${found.count} events now name it, or their seqs and hashes differ`,
      });
    }
  }
  return problems;
}
