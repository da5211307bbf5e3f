import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { openStore } from '../store/sqlite-store';
import { expectFilesAndDatabaseAgree, runCli } from '../testing/cli-runs';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { buildTestModelParts } from '../testing/test-model';

/**
 * Concurrent runs and file modes of the screen CLI, with real processes on real files; faults at each stage
 * boundary are in screen-faults.test.ts.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const workspaces = cliWorkspaces('cli-crash-', 'info');
const workspace = workspaces.workspace;

const ARGS = ['--import', 'tsx'];

function cliAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...ARGS, 'core/cli/screen.ts', ...args], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

describe('screen CLI: the fault hook, concurrent runs and file modes', () => {
  test('the fault hook is ignored outside tests', async () => {
    const w = workspace('fault-ignored');
    const input = join(w.ws, 'batch_prod.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 200, seed: 2 });
    const r = runCli('screen', ['--input', input, '--config', w.config], {
      NODE_ENV: 'production',
      GLUCOSCREEN_TEST_FAULTS: '1',
      GLUCOSCREEN_FAULT: 'after-commit',
    });
    expect([r.signal, r.code]).toEqual([null, 0]);
    expectFilesAndDatabaseAgree(w);
  }, 120_000);

  test('the same file started twice at once is scored once; the other run is told it was already scored', async () => {
    const w = workspace('twice');
    const input = join(w.ws, 'batch_twice.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 40_000, seed: 3 });
    const runs = await Promise.all([1, 2].map(() => cliAsync(['--input', input, '--config', w.config])));
    expect(runs.map((r) => r.code).sort()).toEqual([0, 2]);
    const refused = runs.find((r) => r.code === 2);
    // Each run's batch gets its id when it starts; the one that commits first is the one named.
    const named = refused?.stderr.match(
      /this file \(sha256 [0-9a-f]{12}\.\.\.\) was already scored as batch (\d+) on .*--force/,
    );
    expect(named).not.toBeNull();
    expect(expectFilesAndDatabaseAgree(w)).toBe(1);
    const store = openStore(w.db);
    expect(store.batches.list().map((b) => [b.id, b.status, b.rowsValid])).toEqual([
      [Number(named?.[1]), 'completed', 40_000],
    ]);
    expect(store.audit.count()).toBe(1);
    store.close();
  }, 180_000);

  test('a long batch does not block another writer: both finish, and each write waits briefly', async () => {
    const w = workspace('lock');
    const input = join(w.ws, 'batch_long.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 400_000, seed: 4 });
    // The database exists before both start, and both write links with the workspace's audit key.
    mkdirSync(join(w.ws, 'db'), { mode: 0o700 });
    adoptAuditKeyFile(w.auditKeyFile);
    openStore(w.db).close();
    const run = cliAsync(['--input', input, '--config', w.config]);
    const other = openStore(w.db);
    let writes = 0;
    let longestMs = 0;
    let failure: unknown = null;
    let done = false;
    void run.then(() => {
      done = true;
    });
    while (!done) {
      const t = performance.now();
      try {
        other.audit.append({ actor: 'test', action: 'test.write', subject: `write:${writes}`, details: {} });
        writes++;
      } catch (error) {
        failure = error;
        break;
      }
      longestMs = Math.max(longestMs, performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
    const result = await run;
    other.close();
    console.log(`other writer: ${writes} writes during the batch, longest ${longestMs.toFixed(0)} ms`);
    expect(failure).toBeNull();
    expect([result.code, result.stderr]).toEqual([0, expect.any(String)]);
    expect(writes).toBeGreaterThan(10);
    // Far below the 30 s busy timeout: the batch held the write lock only while committing.
    expect(longestMs).toBeLessThan(5_000);
    expectFilesAndDatabaseAgree(w);
    expect(runCli('audit-verify', ['--config', w.config]).code).toBe(0);
  }, 300_000);

  test('the database, its WAL, outputs, rejected copies and their folders are private to the owner', async () => {
    const w = workspace('modes');
    const input = join(w.ws, 'batch_modes.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 300, seed: 6 });
    const bad = join(w.ws, 'batch_bad.csv');
    writeFileSync(bad, 'patient_id,Glucose\nP1,100\n');
    expect(runCli('screen', ['--input', input, '--config', w.config]).code).toBe(0);
    expect(runCli('screen', ['--input', bad, '--config', w.config]).code).toBe(1);
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(join(w.ws, 'db'))).toBe('700');
    expect(mode(w.out)).toBe('700');
    expect(mode(w.rejected)).toBe('700');
    const files = [
      ...readdirSync(join(w.ws, 'db')).map((f) => join(w.ws, 'db', f)),
      ...readdirSync(w.out).map((f) => join(w.out, f)),
      ...readdirSync(w.rejected).map((f) => join(w.rejected, f)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) expect([f, mode(f)]).toEqual([f, '600']);
  }, 120_000);
});
