import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { EDA_SNAPSHOT_FILE } from '../../core/eda/eda-snapshot';
import { loadBundle, sha256Hex } from '../../core/registry/bundle';
import { openStore } from '../../core/store/sqlite-store';
import { storeLabelledWeeks } from '../../core/testing/labelled-production';
import { loadPimaTable, PIMA_PATH } from '../../core/testing/pima';
import { REPO_ROOT } from '../data-prep/data-manifest';

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsx(script: string, args: string[]) {
  return spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // The CLI's audit key file lives in this test's folder, not the user's.
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
  });
}

const SMALL = ['--trials', '3', '--workers', '0', '--distil-rows', '300'];
// train reads the Pima file from the data remote, so the run does not depend on a pulled copy in training/data.
const TRAIN = [...SMALL, '--data', PIMA_PATH];

/** Two weeks of 30 screened and labelled patients in a new database, as the app would have stored them. */
async function seedLabelledWeeks(dbPath: string, seed: number): Promise<void> {
  const store = openStore(dbPath, { auditKeyring: null });
  try {
    await storeLabelledWeeks(store, await loadPimaTable(), {
      startMonday: '2026-11-02',
      weeks: 2,
      rowsPerWeek: 30,
      seed,
      dir,
    });
  } finally {
    store.close();
  }
}

describe('runs recorded in the database the app reads', () => {
  test('npm run train records its run in the config database by default, or in --db', () => {
    const dbPath = join(dir, 'app-data', 'glucoscreen.db');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ paths: { dbPath } }));
    const models = join(dir, 'models-train');
    const trained = tsx('training/cli/train.ts', [...TRAIN, '--config', config, '--no-promote', '--models', models]);
    expect(trained.stderr).not.toMatch(/failed/);
    expect(trained.status).toBe(0);
    const bundle = trained.stdout.match(/bundle (\S+)/)?.[1] as string;
    const store = openStore(dbPath, { auditKeyring: null });
    try {
      const runs = store.experiments.listRuns();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ kind: 'train', status: 'finished', artifactPaths: [bundle] });
      expect(store.experiments.listTrials(runs[0].id)).toHaveLength(3);
    } finally {
      store.close();
    }
    // The bundle carries the EDA of its training data, and nothing half-built is left beside it.
    const metadata = JSON.parse(readFileSync(join(bundle, 'metadata.json'), 'utf8'));
    expect(sha256Hex(readFileSync(join(bundle, EDA_SNAPSHOT_FILE)))).toBe(metadata.eda_snapshot.sha256);
    expect(readdirSync(join(models, 'experiments'))).toEqual([bundle.split('/').at(-1)]);

    const other = join(dir, 'other.db');
    const again = tsx('training/cli/train.ts', [...TRAIN, '--db', other, '--no-promote', '--models', models]);
    expect(again.status).toBe(0);
    const second = openStore(other, { auditKeyring: null });
    try {
      expect(second.experiments.listRuns().map((r) => r.status)).toEqual(['finished']);
    } finally {
      second.close();
    }
  }, 600_000);

  test('npm run retrain on its own assembles, snapshots, audits and says why the recent weeks were not evaluated', async () => {
    const dbPath = join(dir, 'cron', 'glucoscreen.db');
    mkdirSync(join(dir, 'cron'));
    await seedLabelledWeeks(dbPath, 8);
    const models = join(dir, 'models-cron');
    const args = [...SMALL, '--db', dbPath, '--data-dir', join(dir, 'cron'), '--models', models];
    const result = tsx('training/cli/retrain.ts', [...args, '--original', PIMA_PATH, '--held-out-min-rows', '100']);
    expect(result.stderr).not.toMatch(/retrain failed/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /time-held-out: not evaluated \(the most recent 2 labelled week\(s\) \(2026-W45, 2026-W46\) have 60 labelled rows; at least 100 are needed\)/,
    );
    const bundleDir = result.stdout.match(/ in (\S+) \(run/)?.[1] as string;
    const bundle = await loadBundle(bundleDir);
    expect((bundle.metadata as Record<string, unknown>).time_held_out).toMatchObject({ evaluated: false, rows: 60 });
    expect(readFileSync(join(bundleDir, 'MODEL_CARD.md'), 'utf8')).toContain(
      'Time-held-out evaluation (most recent labelled weeks) was not run: the most recent 2 labelled week(s)',
    );

    const after = openStore(dbPath, { auditKeyring: null });
    try {
      const [version] = after.datasets.list();
      expect(version).toMatchObject({ rowsBySource: { training: 768, production: 60 }, createdBy: 'cli' });
      expect(existsSync(join(dir, 'cron', 'datasets', `${version.sha256}.csv`))).toBe(true);
      const [run] = after.experiments.listRuns();
      expect(run).toMatchObject({ status: 'finished', dataSha256: version.sha256, artifactPaths: [bundleDir] });
      const actions = after.audit.list().map((e) => e.action);
      expect(actions.filter((a) => a.startsWith('retrain.'))).toEqual(['retrain.started', 'retrain.finished']);
    } finally {
      after.close();
    }
  }, 600_000);

  test('npm run retrain stopped by SIGTERM leaves no candidate, no staging folder and a closed run, audited', async () => {
    const data = join(dir, 'stopped');
    mkdirSync(data);
    const dbPath = join(data, 'glucoscreen.db');
    await seedLabelledWeeks(dbPath, 12);
    const models = join(data, 'models');
    const staging = join(models, 'experiments', '.partial-stopped');
    // One process (tsx's loader, not its CLI, which would run the script in a grandchild the signal never reaches),
    // with a fold worker, so that the main thread is free to take the signal while the tuning runs.
    const loader = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const args = ['--trials', '50', '--workers', '1', '--db', dbPath, '--data-dir', data, '--models', models];
    const child = spawn(
      process.execPath,
      [
        '--import',
        loader,
        join(REPO_ROOT, 'training/cli/retrain.ts'),
        ...args,
        '--original',
        PIMA_PATH,
        '--staging-dir',
        staging,
        '--progress',
        'json',
      ],
      { cwd: REPO_ROOT, env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') } },
    );
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    await new Promise<void>((started) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('"type":"progress"')) started();
      });
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(existsSync(staging)).toBe(false);
    const experiments = join(models, 'experiments');
    expect(existsSync(experiments) ? readdirSync(experiments) : []).toEqual([]);
    const after = openStore(dbPath, { auditKeyring: null });
    try {
      const [run] = after.experiments.listRuns();
      expect(run).toMatchObject({ status: 'failed', metrics: { error: 'cancelled (SIGTERM)' } });
      const actions = after.audit.list().map((e) => e.action);
      expect(actions.filter((a) => a.startsWith('retrain.'))).toEqual(['retrain.started', 'retrain.cancelled']);
    } finally {
      after.close();
    }
  }, 600_000);
});
