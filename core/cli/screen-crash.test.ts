import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import { FAULT_POINTS } from '../screening/fault-injection';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { openStore } from '../store/sqlite-store';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { buildTestModelParts } from '../testing/test-model';

/** Crashes, concurrent runs and file modes of the screen CLI, with real processes on real files. */
const ROOT = resolve(import.meta.dirname, '../..');
const workspaces = cliWorkspaces('cli-crash-', 'info');
const workspace = workspaces.workspace;

// node --import tsx: one process, so a SIGKILL it sends itself ends the process doing the work.
const ARGS = ['--import', 'tsx'];

function cli(script: 'screen' | 'audit-verify', args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...ARGS, `core/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test', ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...ARGS, 'core/cli/screen.ts', ...args], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every output file on disk is a completed batch's output (same bytes), and every completed batch's file exists. */
function expectFilesAndDatabaseAgree(w: ReturnType<typeof workspace>) {
  const files = readdirSync(w.out).filter((f) => !f.startsWith('.'));
  const store = openStore(w.db);
  try {
    const completed = store.batches.list({ status: 'completed' });
    const described = new Set<string>();
    for (const b of completed) {
      const output = b.outputPath as string;
      expect(sha256(output)).toBe(b.outputSha256);
      described.add(output);
      described.add(output.replace(/\.csv$/, '_review.csv'));
    }
    for (const f of files) expect([f, described.has(join(w.out, f))]).toEqual([f, true]);
    expect(files).toHaveLength(described.size);
    return completed.length;
  } finally {
    store.close();
  }
}

describe('screen CLI: crashes and concurrent runs', () => {
  test('killed at each stage boundary, the files and the database agree, audit:verify passes and a rerun completes', async () => {
    const table = (await buildTestModelParts()).table;
    let injected = 0;
    for (const point of FAULT_POINTS) {
      const w = workspace(`fault-${point}`);
      const input = join(w.ws, 'batch_fault.csv');
      writeSyntheticBatch(input, table, { rows: 3000, seed: 21 });
      const killed = cli('screen', ['--input', input, '--config', w.config], {
        GLUCOSCREEN_TEST_FAULTS: '1',
        GLUCOSCREEN_FAULT: point,
      });
      expect([point, killed.signal]).toEqual([point, 'SIGKILL']);
      injected++;
      const committed = point === 'after-commit' || point === 'after-rename';
      // Before the rerun's start-up has settled anything: the database alone says whether the batch exists.
      const before = openStore(w.db);
      expect([point, before.batches.list().length]).toEqual([point, committed ? 1 : 0]);
      before.close();

      const rerun = cli('screen', ['--input', input, '--config', w.config]);
      if (committed) {
        // The batch committed: the rerun finishes its files and says the file was scored.
        expect([point, rerun.code]).toEqual([point, 2]);
        expect(rerun.stderr).toMatch(/was already scored as batch 1/);
      } else {
        expect([point, rerun.code, rerun.stderr]).toEqual([point, 0, expect.any(String)]);
      }
      expect(readdirSync(w.out).sort()).toEqual(['predictions_batch_fault.csv', 'predictions_batch_fault_review.csv']);
      expect(expectFilesAndDatabaseAgree(w)).toBe(1);
      const verify = cli('audit-verify', ['--config', w.config]);
      expect([point, verify.code, verify.stderr]).toEqual([point, 0, expect.any(String)]);
    }
    console.log(`injected faults: ${injected} (SIGKILL at ${FAULT_POINTS.join(', ')})`);
    expect(injected).toBe(FAULT_POINTS.length);
  }, 400_000);

  test('the fault hook is ignored outside tests', async () => {
    const w = workspace('fault-ignored');
    const input = join(w.ws, 'batch_prod.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 200, seed: 2 });
    const r = cli('screen', ['--input', input, '--config', w.config], {
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
    expect(refused?.stderr).toMatch(
      /this file \(sha256 [0-9a-f]{12}\.\.\.\) was already scored as batch 1 on .*--force/,
    );
    expect(expectFilesAndDatabaseAgree(w)).toBe(1);
    const store = openStore(w.db);
    expect(store.batches.list().map((b) => [b.status, b.rowsValid])).toEqual([['completed', 40_000]]);
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
    expect(cli('audit-verify', ['--config', w.config]).code).toBe(0);
  }, 300_000);

  test('the database, its WAL, outputs, rejected copies and their folders are private to the owner', async () => {
    const w = workspace('modes');
    const input = join(w.ws, 'batch_modes.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 300, seed: 6 });
    const bad = join(w.ws, 'batch_bad.csv');
    writeFileSync(bad, 'patient_id,Glucose\nP1,100\n');
    expect(cli('screen', ['--input', input, '--config', w.config]).code).toBe(0);
    expect(cli('screen', ['--input', bad, '--config', w.config]).code).toBe(1);
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
