import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { loadKeyFile } from '../audit-key/keyring';
import { purgePatientRows } from '../retention/retention-purge';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { connect } from '../store/database';
import { openStore } from '../store/sqlite-store';
import { runCliInProcess } from '../testing/cli-runs';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { loadPimaTable } from '../testing/pima';
import { main as verify } from './audit-verify';
import { main as purge } from './purge';
import { main as screen } from './screen';

/** npm run purge on a database built by the real screen CLI: one batch screened 90 days ago, one today. */
const spaces = cliWorkspaces('purge-cli-', 'warn');
const DAY = 86_400_000;

function pendingDeletions(db: string): number {
  const connection = connect(db);
  try {
    return (connection.prepare('SELECT count(*) AS n FROM pending_file_deletions').get() as { n: number }).n;
  } finally {
    connection.close();
  }
}

function batchState(db: string) {
  const store = openStore(db, { auditKeyring: null, auditTrailPath: null });
  try {
    return store.batches.list({}).map((b) => ({
      file: b.fileName,
      rows: [...store.batches.iteratePredictions(b.id)].reduce((n, c) => n + c.scores.length, 0),
      output: b.outputPath,
      purged: b.purgedAt !== null,
    }));
  } finally {
    store.close();
  }
}

describe('npm run purge', () => {
  test('previews, refuses without --yes, then purges the old batch only, and the audit still verifies', async () => {
    const w = spaces.workspace('clinic', { retention: { patientRowsMonths: 1 } });
    const pima = await loadPimaTable();
    const screenFile = (name: string, seed: number) => {
      const path = join(w.ws, name);
      writeSyntheticBatch(path, pima, { rows: 150, seed, idPrefix: name.slice(0, 1).toUpperCase() });
      return runCliInProcess(screen, ['--input', path, '--config', w.config]);
    };
    // Only Date is faked: the screen CLI stamps its prediction date with it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(Date.now() - 90 * DAY));
      expect((await screenFile('old.csv', 1)).code).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect((await screenFile('new.csv', 2)).code).toBe(0);
    const before = batchState(w.db);
    expect(before.map((b) => [b.file, b.rows])).toEqual([
      ['new.csv', 150],
      ['old.csv', 150],
    ]);

    const dry = await runCliInProcess(purge, ['--config', w.config, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing was changed');
    expect(dry.stdout).toContain('1 batch(es): 150 scored rows');
    expect(batchState(w.db)).toEqual(before);

    const unconfirmed = await runCliInProcess(purge, ['--config', w.config]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stdout).toContain('run again with --yes to purge');
    expect(batchState(w.db)).toEqual(before);

    const later = await runCliInProcess(purge, ['--config', w.config, '--before', '2999-01-01', '--yes']);
    expect(later.code).toBe(2);
    expect(later.stderr).toMatch(/later than the retention setting allows/);

    const done = await runCliInProcess(purge, ['--config', w.config, '--yes']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/purged \(audit event \d+\)/);
    const after = batchState(w.db);
    expect(after.map((b) => [b.file, b.rows, b.purged])).toEqual([
      ['new.csv', 150, false],
      ['old.csv', 0, true],
    ]);
    expect(existsSync(before[1].output ?? '')).toBe(false);
    expect(existsSync(before[0].output ?? '')).toBe(true);
    const verified = await runCliInProcess(verify, ['--config', w.config]);
    expect(verified.code, verified.stdout).toBe(0);

    const again = await runCliInProcess(purge, ['--config', w.config, '--yes']);
    expect(again.stdout).toContain('nothing to purge');
  });

  test('a crash after the commit leaves the files pending; the next purge removes them and files and database agree', async () => {
    const w = spaces.workspace('crash', { retention: { patientRowsMonths: 1 } });
    const path = join(w.ws, 'old.csv');
    writeSyntheticBatch(path, await loadPimaTable(), { rows: 80, seed: 3, idPrefix: 'C' });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(Date.now() - 90 * DAY));
      expect((await runCliInProcess(screen, ['--input', path, '--config', w.config])).code).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const [old] = batchState(w.db);
    const store = openStore(w.db, { auditKeyring: loadKeyFile(w.auditKeyFile, { create: false }) });
    try {
      expect(() =>
        purgePatientRows(store, {
          months: 1,
          now: new Date(),
          actor: 'cron',
          dryRun: false,
          expectations: { validationEstimates: {}, cbpeReferences: {} },
          rejectedDir: w.rejected,
          afterCommit: () => {
            throw new Error('killed');
          },
        }),
      ).toThrow('killed');
    } finally {
      store.close();
    }
    // Committed: the rows are gone, the files still there and recorded as pending.
    expect(batchState(w.db).map((b) => [b.rows, b.purged])).toEqual([[0, true]]);
    expect(existsSync(old.output ?? '')).toBe(true);
    expect(pendingDeletions(w.db)).toBe(2);

    const next = await runCliInProcess(purge, ['--config', w.config, '--yes']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('nothing to purge');
    expect(existsSync(old.output ?? '')).toBe(false);
    expect(pendingDeletions(w.db)).toBe(0);
    expect((await runCliInProcess(verify, ['--config', w.config])).code).toBe(0);
  });

  test('is refused while retention is off', async () => {
    const w = spaces.workspace('off');
    const run = await runCliInProcess(purge, ['--config', w.config, '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('retention is off');
  });
});
