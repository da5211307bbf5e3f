import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CsvIngest } from '../ingest/csv-ingest';
import { loadPimaTable } from '../testing/pima';
import { type ParseHost, startParseHost } from './parse-host';
import { writeSyntheticBatch } from './synthetic-batch';

let dir: string;
let host: ParseHost;
let big: string;
let small: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parse-host-'));
  const pima = await loadPimaTable();
  big = join(dir, 'big.csv');
  small = join(dir, 'small.csv');
  writeSyntheticBatch(big, pima, { rows: 200_000, seed: 1, idPrefix: 'B' });
  writeSyntheticBatch(small, pima, { rows: 3_000, seed: 2, idPrefix: 'S' });
  host = await startParseHost();
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(ingest: { chunks(): AsyncGenerator<{ rowCount: number; ids: string[] }> }) {
  const ids: string[] = [];
  for await (const c of ingest.chunks()) ids.push(...c.ids.slice(0, c.rowCount));
  return ids;
}

describe('parse host', () => {
  test('yields the same rows, report and sha256 as CsvIngest on this thread', async () => {
    const here = new CsvIngest(small, { mode: 'batch' });
    const there = host.ingest(small, { mode: 'batch' });
    expect(await readAll(there)).toEqual(await readAll(here));
    expect(there.report).toEqual(here.report);
    expect(there.sha256).toBe(here.sha256);
  });

  test('a file abandoned after one chunk does not leak rows into the next file', async () => {
    const first = host.ingest(big, { mode: 'batch' });
    for await (const chunk of first.chunks()) {
      expect(chunk.ids[0]).toMatch(/^B/);
      break;
    }
    const ids = await readAll(host.ingest(small, { mode: 'batch' }));
    expect(ids).toHaveLength(3000);
    expect(ids.every((id) => id.startsWith('S'))).toBe(true);
  });
});
