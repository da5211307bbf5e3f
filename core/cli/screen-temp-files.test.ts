import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { expectFilesAndDatabaseAgree, runCli } from '../testing/cli-runs';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { buildTestModelParts } from '../testing/test-model';

/**
 * SQLite writes its temporary files (statement journals, temporary tables, sort spills) to SQLITE_TMPDIR, else
 * /var/tmp, and deletes them on close: a folder listing afterwards shows nothing, so these tests watch the folder
 * while the process runs. Inside a batch's transaction every multi-row INSERT keeps a statement journal, a copy of
 * the pages it changes: patient rows, which must not leave the database's owner-only folder.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const workspaces = cliWorkspaces('cli-temp-files-', 'info');
const scratch = mkdtempSync(join(tmpdir(), 'sqlite-tmpdir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder for SQLite's temporary files, and the names of the files created in it while it is watched. */
function watchedTempDir(name: string): { dir: string; created: () => Promise<string[]> } {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const names = new Set<string>();
  const watcher = watch(dir, (_event, file) => {
    if (file) names.add(String(file));
  });
  return {
    dir,
    // Events a synchronous child run queued are delivered once this process's event loop turns.
    created: () =>
      new Promise((done) =>
        setTimeout(() => {
          watcher.close();
          done([...names].sort());
        }, 200),
      ),
  };
}

describe("SQLite's temporary files", () => {
  test("a connection with SQLite's defaults spills a batch-sized INSERT's statement journal into its temp folder (the control)", async () => {
    const temp = watchedTempDir('control');
    const db = join(scratch, 'control.db');
    // The statement shape of the batch writer: multi-row INSERTs under a foreign key and CHECKs, in one transaction.
    const script = `
const Database = require('better-sqlite3');
const db = new Database(${JSON.stringify(db)});
db.pragma('page_size = 16384');
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.exec(\`CREATE TABLE parent (id INTEGER PRIMARY KEY);
  CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id), row INTEGER NOT NULL, id TEXT NOT NULL,
    score REAL NOT NULL CHECK (score BETWEEN 0 AND 1), PRIMARY KEY (parent_id, row)) WITHOUT ROWID;
  CREATE INDEX child_by_id ON child(id);
  INSERT INTO parent VALUES (1);\`);
const rows = 256;
const insert = db.prepare('INSERT INTO child VALUES ' + Array(rows).fill('(?, ?, ?, ?)').join(', '));
db.transaction(() => {
  for (let s = 0; s < 200; s++) {
    const args = [];
    for (let i = 0; i < rows; i++) args.push(1, s * rows + i, 'P' + String((s * rows + i) * 7919 % 1000003).padStart(9, '0'), 0.5);
    insert.run(args);
  }
})();
db.close();`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, SQLITE_TMPDIR: temp.dir },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((await temp.created()).some((file) => file.startsWith('etilqs_'))).toBe(true);
  });

  test.each([
    ['on the main thread', false],
    ['on the store thread', true],
  ])(
    'screening a 30,000-row batch with the store %s creates none',
    async (_where, storeThread) => {
      const w = workspaces.workspace(`screen-store-thread-${storeThread}`, { screening: { storeThread } });
      const input = join(w.ws, 'batch_temp.csv');
      writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 30_000, seed: 30_000 });
      const temp = watchedTempDir(`screen-${storeThread}`);
      const run = runCli('screen', ['--input', input, '--config', w.config], { SQLITE_TMPDIR: temp.dir });
      expect(run.code, run.stderr).toBe(0);
      expect(await temp.created()).toEqual([]);
      expect(expectFilesAndDatabaseAgree(w)).toBe(1);
    },
    120_000,
  );
});
