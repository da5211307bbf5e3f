/**
 * npm run retrain: retrain on the original training data plus every production row with a matched label. Assembles
 * the training set from the database (or takes a dataset version the app recorded, `--dataset`), snapshots it as
 * `<data dir>/datasets/<sha256>.csv`, records the dataset version, then runs the same procedure as `npm run train`
 * plus the time-held-out evaluation, and leaves a candidate bundle in the models root's experiments/ (never promoted),
 * recorded as a run. `--progress json` prints one JSON object a line on stdout, for the app that runs this process.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { adoptAuditKeyFile } from '../../core/audit-key/keyring';
import { parseCliArgs } from '../../core/cli/cli-context';
import { ProgressBar } from '../../core/cli/progress-bar';
import { runMain } from '../../core/cli/run-main';
import { loadConfig } from '../../core/config/app-config';
import { readSnapshot } from '../../core/retrain/dataset-snapshot';
import { DEFAULT_HELD_OUT_WEEKS } from '../../core/retrain/held-out-weeks';
import {
  assembleFromStore,
  DATASETS_DIR,
  loadOriginalTrainingData,
  snapshotDataset,
} from '../../core/retrain/prepare-dataset';
import { countsOf } from '../../core/retrain/training-set';
import { openStore } from '../../core/store/sqlite-store';
import { DATA_DIR, REPO_ROOT, readManifest } from '../data-prep/data-manifest';
import { storeRecorder } from '../pipeline/experiment-recorder';
import { DEFAULT_PROCEDURE } from '../pipeline/fit-procedure';
import { RETRAIN_SEARCH, type RetrainProgress, runRetraining } from '../pipeline/retrain-run';

const HELP = `usage: npm run retrain -- [options]
  --config <file>          app config (database, data folder, models folder, audit key, actor)
  --db <path>              database (default: the config's paths.dbPath)
  --data-dir <dir>         data folder; snapshots go to <dir>/${DATASETS_DIR}/ (default: the config's paths.dataDir)
  --models <dir>           models root with production/ and experiments/ (default: the parent of paths.modelDir)
  --original <csv>         the original training data (default training/data/<manifest file>)
  --dataset <sha256>       train on this recorded dataset version instead of assembling a new one
  --search <warm-start|full>  warm-start (default): the production model's parameters and --neighbours around them,
                           each scored by inner CV; full: train's TPE study of --trials trials (also used when
                           production has no recorded parameters)
  --neighbours <n>         trials drawn around production's parameters (default ${RETRAIN_SEARCH.neighbours})
  --trials <n>             TPE trials of the full search (default 100)
  --seed <n>               seed (default 42)
  --workers <n>            worker threads for the CV folds (default 2; 0 = this thread)
  --distil-rows <n>        synthetic rows for distillation (default: DEFAULT_PROCEDURE)
  --held-out-weeks <n>     most recent labelled ISO weeks held out for the time-aware evaluation (default ${DEFAULT_HELD_OUT_WEEKS.weeks})
  --held-out-min-rows <n>  fewest held-out rows worth evaluating (default ${DEFAULT_HELD_OUT_WEEKS.minRows})
  --repeated-cv            also run the repeated 5 x 5 CV of the whole procedure
  --cv-repeats <n>         repeats of the repeated CV (default 5)
  --version <vX.Y.Z>       version of the candidate (default: production bumped by minor)
  --staging-dir <dir>      where the bundle is built before it is renamed into experiments/ (same file system)
  --actor <name>           who is recorded (default: the config's screening.actor)
  --progress <bar|json>    progress bars on stderr (default) or JSON lines on stdout
`;

function int(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2), {
    'data-dir': { type: 'string' },
    models: { type: 'string' },
    original: { type: 'string' },
    dataset: { type: 'string' },
    trials: { type: 'string' },
    search: { type: 'string' },
    neighbours: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    'distil-rows': { type: 'string' },
    'held-out-weeks': { type: 'string' },
    'held-out-min-rows': { type: 'string' },
    'repeated-cv': { type: 'boolean' },
    'cv-repeats': { type: 'string' },
    version: { type: 'string' },
    'staging-dir': { type: 'string' },
    actor: { type: 'string' },
    progress: { type: 'string' },
  });
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const json = args.progress === 'json';
  if (args.progress !== undefined && args.progress !== 'json' && args.progress !== 'bar')
    throw new Error('--progress must be bar or json');
  const emit = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const say = (line: string) => (json ? emit({ type: 'log', message: line }) : process.stderr.write(`${line}\n`));
  const trials = int(args.trials, 'trials', 100, 1);
  if (args.search !== undefined && args.search !== 'warm-start' && args.search !== 'full')
    throw new Error('--search must be warm-start or full');
  const search =
    args.search === 'full'
      ? ({ kind: 'full' } as const)
      : {
          kind: 'warm-start' as const,
          ...RETRAIN_SEARCH,
          neighbours: int(args.neighbours, 'neighbours', RETRAIN_SEARCH.neighbours),
        };
  const heldOut = {
    ...DEFAULT_HELD_OUT_WEEKS,
    weeks: int(args['held-out-weeks'], 'held-out-weeks', DEFAULT_HELD_OUT_WEEKS.weeks, 1),
    minRows: int(args['held-out-min-rows'], 'held-out-min-rows', DEFAULT_HELD_OUT_WEEKS.minRows, 1),
  };
  const repeats = int(args['cv-repeats'], 'cv-repeats', 5, 2);

  const config = loadConfig(args.config);
  if (args.db) config.paths.dbPath = resolve(args.db);
  if (args['model-dir']) config.paths.modelDir = resolve(args['model-dir']);
  // Only a run this process assembled is audited here (with the CLI's key file); the app audits the runs it starts
  // itself, so that process never needs the audit key.
  const audited = args.dataset === undefined;
  if (audited) adoptAuditKeyFile(config.paths.auditKeyFile);
  mkdirSync(dirname(config.paths.dbPath), { recursive: true });
  const store = openStore(config.paths.dbPath, audited ? {} : { auditKeyring: null });
  const actor = args.actor ?? config.screening.actor;
  const dataDir = resolve(args['data-dir'] ?? config.paths.dataDir);
  const modelsDir = resolve(args.models ?? dirname(config.paths.modelDir));
  const staging = args['staging-dir'] ? resolve(args['staging-dir']) : undefined;
  let runId: number | null = null;
  let finished = false;
  const abandon = (signal: string) => {
    // Once the candidate is in place and its run closed, there is nothing left to undo: the process ends normally.
    if (finished) return;
    // A cancelled run leaves no candidate and no run that looks alive.
    if (staging) rmSync(staging, { recursive: true, force: true });
    if (runId !== null && !finished) {
      store.experiments.finishRun(runId, {
        status: 'failed',
        artifactPaths: [],
        metrics: { error: `cancelled (${signal})` },
      });
    }
    if (audited)
      store.audit.append({ actor, action: 'retrain.cancelled', subject: 'retrain', details: { signal, runId } });
    store.close();
    process.exit(130);
  };
  process.once('SIGTERM', () => abandon('SIGTERM'));
  process.once('SIGINT', () => abandon('SIGINT'));

  try {
    let dataset: { versionId: number | null; sha256: string; path: string };
    let loaded: ReturnType<typeof readSnapshot>['set'];
    let excluded = { unmatchedLabels: 0, conflictingLabels: 0 };
    if (args.dataset) {
      const version = store.datasets.bySha256(args.dataset);
      if (!version) throw new Error(`no dataset version with sha256 ${args.dataset} is recorded in ${store.path}`);
      const path = join(dataDir, DATASETS_DIR, version.fileName);
      loaded = readSnapshot(path, version.sha256).set;
      dataset = { versionId: version.id, sha256: version.sha256, path };
      excluded = version.excluded as typeof excluded;
    } else {
      const originalPath = args.original ? resolve(args.original) : join(DATA_DIR, readManifest().file);
      if (!existsSync(originalPath)) {
        throw new Error(`${originalPath} not found: run npm run data:pull first (or pass --original)`);
      }
      const assembled = assembleFromStore(store, await loadOriginalTrainingData(originalPath));
      const snap = snapshotDataset(store, dataDir, assembled, actor);
      // Read back what was written: the run trains on exactly the recorded file.
      loaded = readSnapshot(snap.path, snap.version.sha256).set;
      dataset = { versionId: snap.version.id, sha256: snap.version.sha256, path: snap.path };
      excluded = assembled.counts.excluded;
      store.audit.append({
        actor,
        action: 'retrain.started',
        subject: 'retrain',
        details: { dataset: snap.version.sha256, datasetVersion: snap.version.id, rows: snap.version.rowsBySource },
      });
    }
    const counts = { ...countsOf(loaded), excluded };
    say(
      `dataset ${dataset.sha256}: ${counts.rowsBySource.training} original + ${counts.rowsBySource.production} labelled production rows (left out: ${excluded.unmatchedLabels} unmatched, ${excluded.conflictingLabels} conflicting labels)`,
    );
    if (json) emit({ type: 'dataset', versionId: dataset.versionId, sha256: dataset.sha256, counts });

    const bars = new Map<string, ProgressBar>();
    const onProgress = (p: RetrainProgress) => {
      if (json) return emit({ type: 'progress', ...p });
      let bar = bars.get(p.phase);
      if (!bar) {
        bar = new ProgressBar({ label: p.phase, logWithoutTty: true });
        bars.set(p.phase, bar);
      }
      bar.update(p.done, p.total);
    };
    const result = await runRetraining({
      set: loaded,
      dataset: { ...dataset, counts },
      modelsDir,
      repoRoot: REPO_ROOT,
      procedure: {
        nTrials: trials,
        seed: int(args.seed, 'seed', 42),
        workers: int(args.workers, 'workers', 2),
        distilAugmentRows: int(args['distil-rows'], 'distil-rows', DEFAULT_PROCEDURE.distilAugmentRows),
      },
      search,
      heldOut,
      repeatedCv: args['repeated-cv'] ? { repeats, folds: 5 } : undefined,
      recorder: storeRecorder(store.experiments),
      stagingDir: staging,
      version: args.version,
      onProgress,
      onRunStarted: (id) => {
        runId = id;
        if (json) emit({ type: 'run', runId: id });
      },
    });
    finished = true;
    const m = result.metadata as typeof result.metadata & Record<string, unknown>;
    const evaluation = {
      threshold: m.optimal_threshold,
      oof: m.oof_metrics,
      test: m.test_metrics,
      repeatedCv: m.cv_estimates,
      timeHeldOut: m.time_held_out,
    };
    if (audited) {
      store.audit.append({
        actor,
        action: 'retrain.finished',
        subject: m.version,
        details: { dataset: dataset.sha256, runId, bundle: result.bundleDir },
      });
    }
    if (json) emit({ type: 'done', runId, version: m.version, bundleDir: result.bundleDir, evaluation });
    else {
      const held = m.time_held_out as { evaluated: boolean; reason: string | null; weeks: string[] };
      process.stdout.write(
        `candidate ${m.version} in ${result.bundleDir} (run ${runId ?? 'not recorded'}); time-held-out: ${held.evaluated ? `weeks ${held.weeks.join(', ')}` : `not evaluated (${held.reason})`}\n`,
      );
    }
    return 0;
  } catch (error) {
    if (audited) {
      store.audit.append({
        actor,
        action: 'retrain.failed',
        subject: 'retrain',
        details: { runId, reason: (error as Error).message },
      });
    }
    if (json) emit({ type: 'error', message: (error as Error).message });
    throw error;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
    store.close();
  }
}

runMain('retrain', main);
