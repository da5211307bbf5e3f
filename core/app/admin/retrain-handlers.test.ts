import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RETRAIN_SEARCH, retrainProcedure } from '../../../training/pipeline/retrain-run';
import type { RetrainJobDto } from '../../api/retrain-methods';
import { loadBundle, sha256Hex } from '../../registry/bundle';
import { storeLabelledWeeks } from '../../testing/labelled-production';
import { loadPimaTable } from '../../testing/pima';
import type { ClientSession } from '../client-session';
import { contractCaller, value } from '../test-support/app-calls';
import { buildElectronForTest } from '../test-support/electron-bundle';
import { createTestApp, type TestApp } from '../test-support/test-app';
import { locateRetrainTool, type RetrainTool } from './retrain-process';

// Small settings so that a whole run (the time-held-out fit and the main fit) takes seconds: 3 trials (passed in the
// call), the folds on the tool's own thread, a small distillation set.
const TOOL_ARGS = ['--workers', '0', '--distil-rows', '300'];

let app: TestApp;
let dir: string;
let admin: ClientSession;
const events: RetrainJobDto[] = [];
const call = contractCaller(
  () => app,
  (event, payload) => {
    if (event === 'retrainProgress') events.push(payload as RetrainJobDto);
  },
);

async function until(condition: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last event ${JSON.stringify(events.at(-1))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const eventsOf = (operationId: string) => events.filter((e) => e.operationId === operationId);
const experiments = () => {
  const folder = join(app.modelsRoot, 'experiments');
  return existsSync(folder) ? readdirSync(folder) : [];
};

/**
 * The same handler path with both tools: a checkout's CLI runner as a child process, and the Electron bundle's
 * retrain.cjs in a worker thread of this process, as the installed app runs it (its binary cannot run a child as Node).
 */
const TOOLS: { name: string; kind: RetrainTool['kind']; bundle: boolean }[] = [
  { name: "the checkout's CLI runner in a child process", kind: 'process', bundle: false },
  { name: "the Electron bundle's retrain.cjs in a worker thread", kind: 'worker', bundle: true },
];

describe.each(TOOLS)('retraining from the Models view, with $name', ({ kind, bundle }) => {
  let removeBundle = () => {};
  let toolOverride: RetrainTool | null = null;

  beforeAll(async () => {
    events.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'glucoscreen-retrain-'));
    let locate = () => locateRetrainTool();
    if (bundle) {
      const electron = await buildElectronForTest();
      removeBundle = electron.remove;
      locate = () => locateRetrainTool(electron.dir);
    }
    expect(locate()?.kind).toBe(kind);
    app = await createTestApp(join(dir, 'data'), {
      retrainToolArgs: TOOL_ARGS,
      locateRetrainTool: () => toolOverride ?? locate(),
    });
    admin = app.newSession();
    value(await call(admin, 'createAdmin', { username: 'admin1', password: 'correct horse battery' }));
    // Three weeks of 60 labelled patients: the last two weeks (120 rows) are held out.
    await storeLabelledWeeks(app.store, await loadPimaTable(), {
      startMonday: '2026-11-02',
      weeks: 3,
      rowsPerWeek: 60,
      seed: 3,
      dir,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    removeBundle();
  });

  test('the preview counts the rows by source and names the held-out weeks, writing nothing', async () => {
    const preview = value(await call(admin, 'retrainPreview', {}));
    expect(preview.blocked).toBeNull();
    expect(preview.rowsBySource).toEqual({ training: 768, production: 180 });
    expect(preview.excluded).toEqual({ unmatchedLabels: 0, conflictingLabels: 0 });
    expect(preview).toMatchObject({ labelFrom: '2026-11-04', labelTo: '2026-11-18' });
    expect(preview.heldOut).toMatchObject({ weeks: ['2026-W46', '2026-W47'], rows: 120, usable: true });
    expect(app.store.datasets.list()).toEqual([]);
    expect(existsSync(join(app.dataDir, 'datasets'))).toBe(false);
  });

  test('a run snapshots the data set, trains in the background and leaves a verified candidate and its run', async () => {
    const before = experiments();
    const job = value(await call(admin, 'startRetrain', { operationId: 'op1', confirmed: true, trials: 3 }));
    expect(job.phase).toBe('starting');
    expect(job.dataset.rowsBySource).toEqual({ training: 768, production: 180 });
    await until(() => eventsOf('op1').some((e) => e.phase === 'done' || e.phase === 'failed'), 'the run to end');
    const last = eventsOf('op1').at(-1) as RetrainJobDto;
    expect(last.message).toBeNull();
    expect(last.phase).toBe('done');
    // Progress came through both fits, each warm-started from production's parameters (which the test app has).
    const trials = retrainProcedure({ nTrials: 3 }, { kind: 'warm-start', ...RETRAIN_SEARCH }, app.modelsRoot).procedure
      .nTrials;
    expect(trials).toBeGreaterThan(RETRAIN_SEARCH.neighbours);
    expect(eventsOf('op1').some((e) => e.phase === 'time-held-out' && e.total === trials)).toBe(true);
    expect(eventsOf('op1').some((e) => e.phase === 'tuning' && e.done === trials)).toBe(true);

    const result = last.result;
    if (!result) throw new Error('no result');
    expect(result.modelId).toMatch(/^experiments\/model_\d{8}_\d{6}$/);
    expect(experiments().filter((d) => !before.includes(d))).toEqual([result.modelId.split('/')[1]]);
    const bundle = await loadBundle(join(app.modelsRoot, result.modelId));
    const metadata = bundle.metadata as typeof bundle.metadata & Record<string, Record<string, unknown>>;
    expect(metadata.training_dataset).toMatchObject({
      sha256: job.dataset.sha256,
      rows_by_source: { training: 768, production: 180 },
      label_from: '2026-11-04',
      label_to: '2026-11-18',
    });
    expect(metadata.time_held_out).toMatchObject({
      weeks: ['2026-W46', '2026-W47'],
      rows: 120,
      trained_rows: 768 + 60,
      evaluated: true,
    });
    expect(result.timeHeldOut.metrics?.rows).toBe(120);
    expect(result.crossValidated.rows).toBeGreaterThan(0);
    expect(result.timeHeldOut.metrics?.auc).toBeGreaterThan(0.5);
    const card = readFileSync(join(app.modelsRoot, result.modelId, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('Time-held-out evaluation: the same procedure trained on the 828 other rows');
    expect(card).toContain(
      `tuned by a search warm-started from the production model's parameters (its ${trials - RETRAIN_SEARCH.neighbours} ensemble trials and ${RETRAIN_SEARCH.neighbours} neighbours) (${trials} trials`,
    );
    expect(metadata.retrain_search).toMatchObject({ kind: 'warm-start', neighbours: RETRAIN_SEARCH.neighbours });
    expect(card).toContain(`Retraining data set version ${job.dataset.versionId}`);
    // The EDA of the assembled data travels in the bundle, verified by its sha256 in metadata.json.
    const eda = readFileSync(join(app.modelsRoot, result.modelId, 'eda-snapshot.json'));
    expect(sha256Hex(eda)).toBe((metadata.eda_snapshot as { sha256: string }).sha256);
    expect(JSON.parse(eda.toString()).rowCount).toBe(948);

    // The data set version and its snapshot file.
    const version = app.store.datasets.bySha256(job.dataset.sha256);
    expect(version).toMatchObject({ id: job.dataset.versionId, rowsTotal: 948, createdBy: 'admin1' });
    const snapshot = join(app.dataDir, 'datasets', `${job.dataset.sha256}.csv`);
    expect(sha256Hex(readFileSync(snapshot))).toBe(job.dataset.sha256);
    expect(statSync(snapshot).mode & 0o777).toBe(0o600);

    // The run, in the database the Models view reads.
    const runs = value(await call(admin, 'listTrainingRuns', {}));
    const run = runs.find((r) => r.id === result.runId);
    expect(run).toMatchObject({
      status: 'finished',
      tags: { dataset_sha256: job.dataset.sha256, dataset_version: String(job.dataset.versionId) },
    });
    expect(run?.trials).toHaveLength(trials);
    expect(run?.metrics.time_held_out).toMatchObject({ evaluated: true });
    expect(app.store.experiments.getRun(result.runId as number)?.dataSha256).toBe(job.dataset.sha256);
    expect(value(await call(admin, 'listModels', {})).versions.map((v) => v.id)).toContain(result.modelId);

    const audit = app.store.audit
      .list({ action: 'retrain.started' })
      .concat(app.store.audit.list({ action: 'retrain.finished' }));
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['retrain.started', 'admin1'],
      ['retrain.finished', 'admin1'],
    ]);
    expect(audit[1]).toMatchObject({
      subject: result.version,
      details: { dataset: job.dataset.sha256, runId: result.runId },
    });
  }, 600_000);

  test('a cancelled run leaves no candidate, no staging folder and no live run; the cancel is audited', async () => {
    const before = experiments();
    // The repeated cross-validation after the search makes the run long enough that the cancel lands mid-run.
    value(await call(admin, 'startRetrain', { operationId: 'op2', confirmed: true, trials: 50, repeatedCv: true }));
    const second = await call(admin, 'startRetrain', { operationId: 'op3', confirmed: true, trials: 3 });
    expect(second.ok ? null : second.error.code).toBe('conflict');
    await until(
      () => eventsOf('op2').some((e) => e.runId !== null && e.phase === 'time-held-out'),
      'training to start',
    );
    const cancelled = value(await call(admin, 'cancelRetrain', { operationId: 'op2' }));
    expect(cancelled.phase).toBe('cancelled');
    const ended = ['done', 'failed', 'cancelled'];
    await until(() => ended.includes(eventsOf('op2').at(-1)?.phase ?? ''), 'the run to end', 60_000);
    expect(eventsOf('op2').at(-1)?.phase).toBe('cancelled');
    expect(experiments()).toEqual(before);
    const runId = eventsOf('op2').at(-1)?.runId as number;
    const run = app.store.experiments.getRun(runId);
    expect(run?.status).toBe('failed');
    expect(String(run?.metrics.error)).toContain('cancelled');
    const audit = app.store.audit.list({ action: 'retrain.cancelled' });
    expect(audit.map((e) => e.actor)).toEqual(['admin1']);
    expect(value(await call(admin, 'retrainStatus', {}))?.phase).toBe('cancelled');
  }, 600_000);

  test('a tool stopped after it moved its candidate in leaves no candidate; a bundle of other data is kept', async () => {
    const before = experiments();
    // A tool that moves a complete-looking candidate of the job's data set into experiments/ (and one of other data,
    // as another run might) and is stopped before its `done` line.
    const script = join(dir, 'stopped-after-rename.cjs');
    writeFileSync(
      script,
      `const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const bundle = (name, sha256) => {
  const folder = join(arg('--models'), 'experiments', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'metadata.json'), JSON.stringify({ training_dataset: { sha256 } }));
};
bundle('model_20990101_000000', arg('--dataset'));
bundle('model_20990101_000001', 'another data set');
process.stdout.write(JSON.stringify({ type: 'progress', phase: 'writing', done: 1, total: 1 }) + '\\n');
setInterval(() => {}, 1000);
`,
    );
    toolOverride = { kind: 'worker', script };
    try {
      value(await call(admin, 'startRetrain', { operationId: 'op4', confirmed: true, trials: 3 }));
      await until(() => eventsOf('op4').some((e) => e.phase === 'writing'), 'the candidate to be moved in', 60_000);
      expect(experiments()).toEqual(expect.arrayContaining(['model_20990101_000000', 'model_20990101_000001']));
      expect(value(await call(admin, 'cancelRetrain', { operationId: 'op4' })).phase).toBe('cancelled');
      await until(() => eventsOf('op4').at(-1)?.phase === 'cancelled', 'the cancelled state', 60_000);
      expect(experiments().sort()).toEqual([...before, 'model_20990101_000001'].sort());
    } finally {
      toolOverride = null;
      rmSync(join(app.modelsRoot, 'experiments', 'model_20990101_000001'), { recursive: true, force: true });
    }
  }, 120_000);
});
