import { appendFileSync, existsSync, readFileSync } from 'node:fs';

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
