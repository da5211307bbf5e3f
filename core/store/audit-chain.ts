import { createHash } from 'node:crypto';

/**
 * The audit hash chain, as pure functions so that it can be checked without a database.
 * Each event stores the hash of the event before it; its own hash covers that link and every field,
 * so editing, inserting or deleting a row breaks the chain at a place that can be named.
 */

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
}

export type ChainProblemKind = 'edited' | 'inserted' | 'deleted' | 'broken-link';

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
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function hashEvent(event: Omit<ChainRow, 'hash'>): string {
  const body = JSON.stringify([event.seq, event.at, event.actor, event.action, event.subject, event.details]);
  return createHash('sha256').update(event.prevHash).update('\n').update(body).digest('hex');
}

function describeEvent(row: ChainRow): string {
  return `event seq ${row.seq} (${row.action} by ${row.actor} at ${row.at})`;
}

/**
 * Walks the events in seq order. `trail` (seq -> hash, read from the JSONL trail) adds the checks a chain
 * cannot make on its own: a deleted last event, or a well-forged event appended at the end.
 */
export function verifyChain(rows: Iterable<ChainRow>, trail?: ReadonlyMap<number, string>): ChainVerification {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let prevPrevHash: string | null = null;
  let checked = 0;
  const seen = new Set<number>();
  for (const row of rows) {
    checked++;
    seen.add(row.seq);
    const gap = row.seq > expectedSeq;
    if (hashEvent(row) !== row.hash) {
      problems.push({
        seq: row.seq,
        kind: 'edited',
        message: `${describeEvent(row)}: its content does not match its hash`,
      });
    }
    if (gap) {
      const range = row.seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seq ${expectedSeq}..${row.seq - 1}`;
      problems.push({
        seq: row.seq,
        kind: 'deleted',
        message: `event ${range} missing before ${describeEvent(row)}`,
      });
    } else if (row.prevHash !== prevHash) {
      if (prevPrevHash !== null && row.prevHash === prevPrevHash) {
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
