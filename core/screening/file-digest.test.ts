import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PIMA_PATH } from '../testing/pima';
import { digestFile } from './file-digest';

const dir = mkdtempSync(join(tmpdir(), 'file-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the digest must say, from the whole file read at once. */
function expected(path: string) {
  const bytes = readFileSync(path);
  let lineBreaks = 0;
  for (const b of bytes) if (b === 10) lineBreaks++;
  return { sha256: createHash('sha256').update(bytes).digest('hex'), lineBreaks, bytes: bytes.length };
}

describe('digestFile', () => {
  test('the Pima file: its sha256, line breaks and size', async () => {
    expect(await digestFile(PIMA_PATH)).toEqual(expected(PIMA_PATH));
  });

  test('a file of several reads, CRLF line ends, a line break on a read boundary and no final line break', async () => {
    const path = join(dir, 'big.csv');
    const line = 'P0000001,6,153,107,0,0,35.8,0.120,52\r\n';
    // A line break exactly at the end of the first 1 MiB read, and a last line without one.
    const head = 'x'.repeat((1 << 20) - 1);
    writeFileSync(path, `${head}\n${line.repeat(80_000)}P9,1,2,3,4,5,6,7,8`);
    const digest = await digestFile(path);
    expect(digest).toEqual(expected(path));
    expect(digest.lineBreaks).toBe(80_001);
  });

  test('a file of many reads gives the event loop turns while it is read', async () => {
    const path = join(dir, 'large.csv');
    writeFileSync(path, 'P0000001,6,153,107,0,0,35.8,0.120,52\n'.repeat(400_000));
    let done = false;
    let turnedMeanwhile = false;
    setImmediate(() => {
      turnedMeanwhile = !done;
    });
    const digest = await digestFile(path).finally(() => {
      done = true;
    });
    expect(turnedMeanwhile).toBe(true);
    expect(digest).toEqual(expected(path));
  });

  test('an empty file, and a missing one', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect(await digestFile(empty)).toEqual({
      sha256: createHash('sha256').digest('hex'),
      lineBreaks: 0,
      bytes: 0,
    });
    await expect(digestFile(join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
  });
});
