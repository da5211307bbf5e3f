import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * The append-only JSONL audit trail beside the database: one line per event and one per batch. It mirrors the hash
 * chain so that a deleted last event can be detected. No patient data goes here other than patient_id (as an event
 * subject); callers pass only figures and identifiers.
 */
export type TrailLine =
  | { type: 'event'; seq: number; hash: string; [key: string]: unknown }
  | { type: 'batch'; [key: string]: unknown };

export function appendTrail(path: string, lines: readonly TrailLine[]): void {
  if (lines.length === 0) return;
  appendFileSync(path, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`, { encoding: 'utf8', mode: 0o600 });
}

export interface TrailRead {
  /** seq -> hash of every event line. */
  eventHashes: Map<number, string>;
  /** 1-based line numbers that are not valid JSON (a torn or edited line). */
  badLines: number[];
}

export function readTrail(path: string): TrailRead | null {
  if (!existsSync(path)) return null;
  const eventHashes = new Map<number, string>();
  const badLines: number[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === '') continue;
    try {
      const parsed = JSON.parse(text) as { type?: unknown; seq?: unknown; hash?: unknown };
      if (parsed.type === 'event' && typeof parsed.seq === 'number' && typeof parsed.hash === 'string') {
        eventHashes.set(parsed.seq, parsed.hash);
      }
    } catch {
      badLines.push(i + 1);
    }
  }
  return { eventHashes, badLines };
}

/**
 * Replaces the trail lines of tombstoned events by their seq, hash and purge (what the chain keeps of them), so a
 * purged patient_id does not outlive the purge in the trail. Written to a temp file and renamed; if another process
 * appended meanwhile, the rewrite starts again so that its line is not lost. Idempotent.
 */
export function redactTrailEvents(path: string, purgedBy: ReadonlyMap<number, number>): number {
  if (purgedBy.size === 0 || !existsSync(path)) return 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const text = readFileSync(path, 'utf8');
    let redacted = 0;
    const lines = text.split('\n').map((line) => {
      if (line.trim() === '') return line;
      let parsed: { type?: unknown; seq?: unknown; hash?: unknown; purgedBySeq?: unknown };
      try {
        parsed = JSON.parse(line);
      } catch {
        return line;
      }
      if (parsed.type !== 'event' || typeof parsed.seq !== 'number') return line;
      const purgeSeq = purgedBy.get(parsed.seq);
      if (purgeSeq === undefined || parsed.purgedBySeq === purgeSeq) return line;
      redacted++;
      return JSON.stringify({ type: 'event', seq: parsed.seq, hash: parsed.hash, purgedBySeq: purgeSeq });
    });
    if (redacted === 0) return 0;
    const temp = `${path}.redact-${process.pid}`;
    writeFileSync(temp, lines.join('\n'), { encoding: 'utf8', mode: 0o600 });
    if (statSync(path).size !== Buffer.byteLength(text)) {
      rmSync(temp, { force: true });
      continue;
    }
    renameSync(temp, path);
    return redacted;
  }
  throw new Error(`the audit trail ${path} kept growing while its purged events were being redacted; run it again`);
}
