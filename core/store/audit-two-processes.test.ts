import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main as auditVerify } from '../cli/audit-verify';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'audit-two-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One writer process (its own module state, its own connection), appending `count` events. */
function writer(dbPath: string, keyFile: string, actor: string, count: number, stderr: string[] = []) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'core/testing/audit-writer-process.ts', dbPath, keyFile, actor, String(count)],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  return new Promise<number | null>((done) => child.once('exit', done));
}

function verify(dbPath: string, keyFile: string): { code: number; lines: string[] } {
  const config = join(dir, `verify-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(config, JSON.stringify({ paths: { dbPath, auditKeyFile: keyFile } }));
  const lines: string[] = [];
  return { code: auditVerify(['--config', config], (line) => lines.push(line)), lines };
}

describe('one audit chain written by several processes', () => {
  test('two processes with the same key file interleave one chain that verifies', async () => {
    const dbPath = join(dir, 'same.db');
    const keyFile = join(dir, 'keys', 'audit.key');
    // The first process creates the key file; both then link with its key, at the same time.
    expect(await writer(dbPath, keyFile, 'app', 1)).toBe(0);
    expect(await Promise.all([writer(dbPath, keyFile, 'app', 30), writer(dbPath, keyFile, 'cli', 30)])).toEqual([0, 0]);
    const { code, lines } = verify(dbPath, keyFile);
    expect(lines.at(-1)).toMatch(/^audit chain intact: 61 events checked/);
    expect(code).toBe(0);
  }, 120_000);

  test('a process with another key file cannot extend the chain, and a chain it wrote is reported by seq', async () => {
    const dbPath = join(dir, 'mixed.db');
    const keyA = join(dir, 'keys-a', 'audit.key');
    const keyB = join(dir, 'keys-b', 'audit.key');
    expect(await writer(dbPath, keyA, 'app', 3)).toBe(0);
    const refused: string[] = [];
    expect(await writer(dbPath, keyB, 'intruder', 1, refused)).toBe(1);
    expect(refused.join('')).toMatch(/the audit chain is linked with key k[0-9a-f]{16}, which is not available/);
    // Nothing of the refused process is in the chain.
    expect(verify(dbPath, keyA).lines.at(-1)).toMatch(/^audit chain intact: 3 events checked/);

    // A chain the other key wrote: a verifier with only the server's key names every link it cannot check.
    const other = join(dir, 'other.db');
    expect(await writer(other, keyB, 'intruder', 2)).toBe(0);
    const { code, lines } = verify(other, keyA);
    expect(code).toBe(1);
    expect(lines[0]).toBe('audit chain BROKEN: 2 problem(s) in 2 events');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}seq 1 \[unknown-key\] .*which this verifier does not hold/),
      expect.stringMatching(/^ {2}seq 2 \[unknown-key\]/),
    ]);
  }, 120_000);
});
