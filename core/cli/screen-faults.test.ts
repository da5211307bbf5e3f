import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import { parseConfig } from '../config/app-config';
import { FAULT_KINDS, FAULT_POINTS, type FaultKind, type FaultPoint } from '../screening/fault-injection';
import { loadScreeningModel } from '../screening/load-model';
import { ScreenFailure, screenFile } from '../screening/screen-file';
import { connect } from '../store/database';
import { openStore } from '../store/sqlite-store';
import { expectFilesAndDatabaseAgree, runCli, runCliInProcess } from '../testing/cli-runs';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { writeMarkedBatch } from '../testing/marked-batch';
import { main as auditVerify } from './audit-verify';
import { main as screen } from './screen';

/**
 * A batch failed at each stage boundary by each kind of fault, through the screen CLI: killed (SIGKILL), the disk
 * full, the database locked, the output folder read-only or not writable (the hook throws the operating system's or
 * SQLite's error). Killed runs, and runs failed after the commit, are CLI processes of their own; the other runs
 * call the CLI's main in this process, which is much cheaper. After each, the database and the files agree,
 * the message is clear and holds no patient value, a rerun completes (or says the file was scored, when the batch
 * had committed), and audit:verify passes. Then the same faults for real: a connection holding the write lock, and
 * an output folder chmod-ed read-only (as a user chmod stops: root ignores it).
 */
const workspaces = cliWorkspaces('cli-faults-', 'info');
const workspace = workspaces.workspace;
const ROWS = 120;

/** The cause each thrown kind must be reported as. */
const CAUSE: Record<Exclude<FaultKind, 'kill'>, RegExp> = {
  'disk-full': /the disk is full \(ENOSPC\)/,
  'database-locked': /the database is locked by another process \(SQLITE_BUSY\)/,
  'read-only': /the file system is read-only \(EROFS\)/,
  'access-denied': /permission denied \(EACCES\)/,
};
const STAGE: Record<FaultPoint, string> = {
  'after-parse': 'reading and scoring',
  'after-score': 'reading and scoring',
  'after-store': 'storing',
  'after-commit': 'moving the outputs into place',
  'after-rename': 'moving the outputs into place',
};
const COMMITTED = new Set<FaultPoint>(['after-commit', 'after-rename']);
const OUTPUTS = ['predictions_batch_fault.csv', 'predictions_batch_fault_review.csv'];

function expectNoMarker(text: string, markers: string[], what: string) {
  const leaked = markers.filter((m) => text.includes(m));
  expect([what, leaked]).toEqual([what, []]);
}

/** The audit actions, without the alerts a completed batch raises (the small test batches drift from the bundle). */
function auditEvents(db: string): string[] {
  const store = openStore(db, { auditKeyring: null });
  try {
    return store.audit
      .list()
      .map((e) => e.action)
      .filter((action) => action !== 'alert.raised');
  } finally {
    store.close();
  }
}

const MATRIX = FAULT_POINTS.flatMap((point) => FAULT_KINDS.map((kind) => ({ point, kind })));

describe(`screen CLI: ${FAULT_POINTS.length} stage boundaries x ${FAULT_KINDS.length} fault kinds`, () => {
  test.each(MATRIX)(
    '$kind $point',
    async ({ point, kind }) => {
      const w = workspace(`${kind}-${point}`);
      const input = join(w.ws, 'batch_fault.csv');
      const markers = writeMarkedBatch(input, ROWS);
      const args = ['--input', input, '--config', w.config];
      const faultEnv = { GLUCOSCREEN_TEST_FAULTS: '1', GLUCOSCREEN_FAULT: point, GLUCOSCREEN_FAULT_KIND: kind };
      // Temp files left after the commit are settled by a later process once theirs has gone: a real process too.
      const ownProcess = kind === 'kill' || point === 'after-commit';
      const faulted = ownProcess ? runCli('screen', args, faultEnv) : await runCliInProcess(screen, args, faultEnv);
      const committed = COMMITTED.has(point);
      // The database alone says whether the batch exists, before any rerun has settled anything.
      const store = openStore(w.db, { auditKeyring: null });
      expect(store.batches.list().length).toBe(committed ? 1 : 0);
      store.close();
      expect(auditEvents(w.db)).toEqual(committed ? ['batch.scored'] : []);
      if (kind === 'kill') {
        expect(faulted.signal).toBe('SIGKILL');
      } else {
        expect([faulted.code, faulted.signal]).toEqual([2, null]);
        // A process of its own may first print ONNX Runtime's notice about its telemetry id.
        const [message, ...others] = faulted.stderr
          .trim()
          .split('\n')
          .filter((line) => !line.includes('onnxruntime'));
        expect(others).toEqual([]);
        expect(message).toMatch(new RegExp(`^error: batch_fault\\.csv: ${STAGE[point]} failed: `));
        expect(message).toMatch(CAUSE[kind]);
        if (!committed) {
          expect(message).toMatch(/nothing of this batch was stored and its temporary files were removed/);
          expect(readdirSync(w.out)).toEqual([]);
        } else if (point === 'after-commit') {
          expect(message).toMatch(/batch 1 is stored; its output files are still under temporary names/);
          expect(readdirSync(w.out).every((f) => f.startsWith('.'))).toBe(true);
        } else {
          expect(message).toMatch(/batch 1 is stored and its output files are in place/);
          expect(readdirSync(w.out).sort()).toEqual(OUTPUTS);
        }
      }
      expectNoMarker(faulted.stdout + faulted.stderr, markers, 'faulted run');

      const rerun = await runCliInProcess(screen, args);
      if (committed) {
        expect([rerun.code, rerun.stderr]).toEqual([2, expect.stringMatching(/was already scored as batch 1/)]);
      } else {
        expect([rerun.code, rerun.stderr]).toEqual([0, expect.any(String)]);
      }
      expectNoMarker(rerun.stdout + rerun.stderr, markers, 'rerun');
      expect(readdirSync(w.out).sort()).toEqual(OUTPUTS);
      expect(expectFilesAndDatabaseAgree(w)).toBe(1);
      expect(auditEvents(w.db)).toEqual(['batch.scored']);
      const verify = await runCliInProcess(auditVerify, ['--config', w.config]);
      expect([verify.code, verify.stdout]).toEqual([0, expect.stringMatching(/^audit chain intact/)]);
    },
    120_000,
  );
});

const retry = parseConfig({ retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 } }).retry;

describe('the same faults for real', () => {
  test('another connection holds the write lock: the batch fails with SQLITE_BUSY as it starts, stores nothing, and a rerun completes', async () => {
    const w = workspace('real-lock');
    const input = join(w.ws, 'batch_fault.csv');
    const markers = writeMarkedBatch(input, ROWS);
    mkdirSync(join(w.ws, 'db'), { mode: 0o700 });
    adoptAuditKeyFile(w.auditKeyFile);
    const store = openStore(w.db, { busyTimeoutMs: 50 });
    const model = await loadScreeningModel(join(workspaces.dir, 'models/production'), {});
    const options = {
      inputPath: input,
      outputDir: w.out,
      rejectedDir: w.rejected,
      store,
      model,
      actor: 'tester',
      source: 'cli' as const,
      retry,
    };
    try {
      const other = connect(w.db);
      other.exec('BEGIN IMMEDIATE');
      const failure = await screenFile(options).catch((error: unknown) => error);
      other.exec('ROLLBACK');
      other.close();
      expect(failure).toBeInstanceOf(ScreenFailure);
      expect((failure as ScreenFailure).code).toBe('SQLITE_BUSY');
      expect((failure as ScreenFailure).message).toMatch(
        /^batch_fault\.csv: starting the batch failed: the database is locked by another process \(SQLITE_BUSY\); nothing of this batch was stored/,
      );
      expectNoMarker((failure as Error).message, markers, 'message');
      expect(store.batches.list()).toEqual([]);
      expect(readdirSync(w.out)).toEqual([]);

      const rerun = await screenFile(options);
      expect(rerun.kind).toBe('completed');
    } finally {
      store.close();
      await model.scorer.release();
    }
    expect(expectFilesAndDatabaseAgree(w)).toBe(1);
    expect((await runCliInProcess(auditVerify, ['--config', w.config])).code).toBe(0);
  }, 120_000);

  /** Root ignores a folder's mode: as root, the CLI runs as `nobody` when it can, so that chmod means something. */
  const NOBODY = { uid: 65534, gid: 65534 };
  const isRoot = process.getuid?.() === 0;
  const canRunAsNobody =
    isRoot &&
    spawnSync(process.execPath, ['-e', '0'], { ...NOBODY, cwd: '/' }).status === 0 &&
    process.platform !== 'win32';
  test.skipIf(process.platform === 'win32' || (isRoot && !canRunAsNobody))(
    'a real read-only output folder (chmod 0500): the batch fails with EACCES, stores nothing, and a rerun completes',
    () => {
      const w = workspace('real-chmod');
      const input = join(w.ws, 'batch_fault.csv');
      const markers = writeMarkedBatch(input, ROWS);
      mkdirSync(w.out, { mode: 0o700 });
      const as = isRoot ? NOBODY : {};
      if (isRoot) chownTree(workspaces.dir, NOBODY);
      chmodSync(w.out, 0o500);
      const args = ['--input', input, '--config', w.config];
      const refused = runCli('screen', args, {}, as);
      chmodSync(w.out, 0o700);
      expect([refused.code, refused.signal]).toEqual([2, null]);
      expect(refused.stderr).toMatch(
        /^error: batch_fault\.csv: opening the output files failed: permission denied \(EACCES\); nothing of this batch was stored/m,
      );
      expectNoMarker(refused.stdout + refused.stderr, markers, 'refused run');
      expect(readdirSync(w.out)).toEqual([]);
      expect(auditEvents(w.db)).toEqual([]);

      const rerun = runCli('screen', args, {}, as);
      expect([rerun.code, rerun.stderr]).toEqual([0, expect.any(String)]);
      expect(expectFilesAndDatabaseAgree(w)).toBe(1);
      expect(runCli('audit-verify', ['--config', w.config], {}, as).code).toBe(0);
    },
    120_000,
  );
});

function chownTree(path: string, owner: { uid: number; gid: number }) {
  chownSync(path, owner.uid, owner.gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), owner);
}
