/**
 * npm run train: data manifest check -> ingest -> split -> TPE tuning with 5-fold CV -> calibration and
 * threshold -> final model -> evaluation -> bundle in models/experiments/ -> promote to models/production/.
 * Progress on stderr, summary table on stdout. `--help` lists the options.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ProgressBar } from '../../core/cli/progress-bar';
import { runMain } from '../../core/cli/run-main';
import { loadConfig } from '../../core/config/app-config';
import { openStore } from '../../core/store/sqlite-store';
import { DATA_DIR, REPO_ROOT, readManifest, resolveFromRoot, sha256File } from '../data-prep/data-manifest';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { type ExperimentRecorder, NULL_RECORDER, storeRecorder } from '../pipeline/experiment-recorder';
import { DEFAULT_PROCEDURE } from '../pipeline/fit-procedure';
import { runTraining } from '../pipeline/train-run';
import type { SplitIndices } from '../tuner/stratified-split';

const HELP = `usage: npm run train -- [options]
  --data <csv>            training CSV (default training/data/<manifest file>; run npm run data:pull first)
  --accept-data-hash      train even if the file's sha256 differs from training/data.manifest.json (recorded)
  --split <json>          external split {"train":[...],"val":[...],"test":[...]} of 0-based data-row indices
  --trials <n>            TPE trials (default 100)
  --seed <n>              seed for split, folds, sampler and trees (default 42)
  --workers <n>           worker threads for the CV folds (default 2; 0 = this thread)
  --distil-trees <n>      distil the averaged ensemble into one GBDT of n trees (0 = keep the ensemble; default: DEFAULT_PROCEDURE)
  --distil-rows <n>       synthetic rows (from the training part only) for distillation (default 20000)
  --ensemble-top-k <n>    the final model averages the fold models of the n best feasible trials (default: DEFAULT_PROCEDURE)
  --threshold-method <exact|bootstrap-median>  how the recall-constrained threshold is read off the out-of-fold scores
  --repeated-cv           also run a repeated stratified 5 x 5 CV of the whole procedure (stored in metadata)
  --cv-repeats <n>        repeats of the repeated CV (default 5)
  --models <dir>          model registry root (default models)
  --version <vX.Y.Z>      version of the new model (default: production bumped by --bump, or v1.0.0)
  --bump <major|minor|patch>  (default minor)
  --no-promote            keep the bundle in models/experiments/ only
  --db <path>             database the run is recorded in (default: the app config's paths.dbPath, as the other
                          CLIs; the Models view of an app on that database lists the run); --no-record to skip
  --config <file>         app config whose paths.dbPath is the default --db
  --risk-medium <p> --risk-high <p>   risk category cuts (default 0.35, 0.60)
`;

function num(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      'accept-data-hash': { type: 'boolean' },
      split: { type: 'string' },
      trials: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      'ensemble-top-k': { type: 'string' },
      'distil-trees': { type: 'string' },
      'distil-rows': { type: 'string' },
      'threshold-method': { type: 'string' },
      'repeated-cv': { type: 'boolean' },
      'cv-repeats': { type: 'string' },
      models: { type: 'string' },
      version: { type: 'string' },
      bump: { type: 'string' },
      'no-promote': { type: 'boolean' },
      db: { type: 'string' },
      config: { type: 'string' },
      'no-record': { type: 'boolean' },
      'risk-medium': { type: 'string' },
      'risk-high': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const manifest = readManifest();
  const dataPath = values.data ? resolveFromRoot(values.data) : join(DATA_DIR, manifest.file);
  if (!existsSync(dataPath)) {
    process.stderr.write(`train: ${dataPath} not found. Run \`npm run data:pull\` first (or pass --data).\n`);
    return 2;
  }
  const sha = await sha256File(dataPath);
  const accepted = sha !== manifest.sha256;
  if (accepted && !values['accept-data-hash']) {
    process.stderr.write(
      `train: ${dataPath} has sha256 ${sha}, but training/data.manifest.json expects ${manifest.sha256}.\n` +
        'Refusing to train on changed data. Pass --accept-data-hash to train anyway (the new hash is recorded).\n',
    );
    return 3;
  }
  if (accepted)
    process.stderr.write(`train: data hash ${sha} differs from the manifest; accepted (--accept-data-hash)\n`);
  const { table } = await loadTrainingTable(dataPath);

  let split: { indices: SplitIndices; file: string } | undefined;
  if (values.split) {
    const file = resolveFromRoot(values.split);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SplitIndices>;
    split = {
      indices: { train: parsed.train ?? [], val: parsed.val ?? [], test: parsed.test ?? [] },
      file: values.split,
    };
  }
  const bump = values.bump ?? 'minor';
  if (bump !== 'major' && bump !== 'minor' && bump !== 'patch') throw new Error('--bump must be major, minor or patch');
  const trials = num(values.trials, 'trials', 100);
  const repeats = num(values['cv-repeats'], 'cv-repeats', 5);
  const thresholdMethod = values['threshold-method'] ?? DEFAULT_PROCEDURE.thresholdMethod;
  if (thresholdMethod !== 'exact' && thresholdMethod !== 'bootstrap-median')
    throw new Error('--threshold-method must be exact or bootstrap-median');

  let recorder: ExperimentRecorder = NULL_RECORDER;
  let closeStore = () => {};
  if (!values['no-record']) {
    const dbPath = values.db ? resolveFromRoot(values.db) : loadConfig(values.config).paths.dbPath;
    mkdirSync(dirname(dbPath), { recursive: true });
    const store = openStore(dbPath);
    recorder = storeRecorder(store.experiments);
    closeStore = () => store.close();
  }

  const tuningBar = new ProgressBar({ label: 'tuning', logWithoutTty: true });
  let cvBar: ProgressBar | null = null;
  let best = 0;
  try {
    const result = await runTraining({
      table,
      dataPath,
      dataSha256: sha,
      dataHashAccepted: accepted,
      repoRoot: REPO_ROOT,
      modelsDir: resolveFromRoot(values.models ?? 'models'),
      procedure: {
        nTrials: trials,
        seed: num(values.seed, 'seed', 42),
        workers: num(values.workers, 'workers', 2),
        ensembleTopK: num(values['ensemble-top-k'], 'ensemble-top-k', DEFAULT_PROCEDURE.ensembleTopK),
        thresholdMethod,
        distilTrees: num(values['distil-trees'], 'distil-trees', DEFAULT_PROCEDURE.distilTrees),
        distilAugmentRows: num(values['distil-rows'], 'distil-rows', DEFAULT_PROCEDURE.distilAugmentRows),
      },
      split,
      repeatedCv: values['repeated-cv'] ? { repeats, folds: 5 } : undefined,
      version: values.version,
      bump,
      promote: !values['no-promote'],
      riskCuts: {
        medium: num(values['risk-medium'], 'risk-medium', 0.35),
        high: num(values['risk-high'], 'risk-high', 0.6),
      },
      recorder,
      onTrial: (trial) => {
        if (trial.state === 'complete') best = Math.max(best, trial.value ?? 0);
        tuningBar.update(trial.number + 1, trials, `best F2 ${best.toFixed(3)}`);
      },
      onCvFold: (done, total) => {
        cvBar ??= new ProgressBar({ label: 'repeated CV', logWithoutTty: true });
        cvBar.update(done, total);
      },
    });
    const m = result.metadata;
    const test = m.test_metrics as Record<string, number>;
    const val = (m.validation_metrics ?? null) as Record<string, number> | null;
    const oof = m.oof_metrics as Record<string, number>;
    const rows: [string, Record<string, number> | null][] = [
      ['test', test],
      ['validation', val],
      ['out-of-fold', oof],
    ];
    const out: string[] = [];
    out.push(`model ${m.version}  threshold ${m.optimal_threshold.toFixed(4)}  trees ${String(m.num_trees)}`);
    out.push(`bundle ${result.bundleDir}${result.promoted ? '  (promoted to production)' : ''}`);
    out.push('');
    out.push(
      `${pad('data', 12)}${['rows', 'recall', 'precision', 'F2', 'AUC', 'PR-AUC', 'Brier', 'FN', 'FP', 'cost'].map((h) => pad(h, 10)).join('')}`,
    );
    for (const [name, r] of rows) {
      if (!r) continue;
      const cells = [
        String(r.rows),
        r.recall.toFixed(3),
        r.precision.toFixed(3),
        r.f2.toFixed(3),
        r.auc.toFixed(3),
        r.prAuc.toFixed(3),
        r.brier.toFixed(3),
        String(r.fn),
        String(r.fp),
        String(r.cost),
      ];
      out.push(`${pad(name, 12)}${cells.map((c) => pad(c, 10)).join('')}`);
    }
    const calib = (m as Record<string, unknown>).calibration_report as {
      brierBefore: number;
      brierAfter: number;
      reliabilityBefore: { lower: number; upper: number; count: number; meanPredicted: number; observedRate: number }[];
      reliabilityAfter: { lower: number; upper: number; count: number; meanPredicted: number; observedRate: number }[];
    };
    out.push('');
    out.push(
      `calibration (out-of-fold): Brier ${calib.brierBefore.toFixed(4)} raw sigmoid(margin) -> ${calib.brierAfter.toFixed(4)} Platt (slope ${m.calibration.slope.toFixed(4)}, intercept ${m.calibration.intercept.toFixed(4)})`,
    );
    out.push(
      `${pad('  bin', 14)}${pad('raw n', 8)}${pad('pred', 8)}${pad('obs', 8)}${pad('| Platt n', 10)}${pad('pred', 8)}obs`,
    );
    for (let b = 0; b < 10; b++) {
      const lo = b / 10;
      const before = calib.reliabilityBefore.find((x) => Math.abs(x.lower - lo) < 1e-9);
      const after = calib.reliabilityAfter.find((x) => Math.abs(x.lower - lo) < 1e-9);
      const cell = (x: typeof before) =>
        x
          ? [pad(String(x.count), 8), pad(x.meanPredicted.toFixed(3), 8), pad(x.observedRate.toFixed(3), 8)]
          : [pad('0', 8), pad('-', 8), pad('-', 8)];
      out.push(
        `${pad(`  ${lo.toFixed(1)}-${(lo + 0.1).toFixed(1)}`, 14)}${cell(before).join('')}| ${cell(after).join('')}`,
      );
    }
    const byThreshold = ((m as Record<string, unknown>).threshold_table as { test: Record<string, number>[] }).test;
    out.push('');
    out.push('test part by threshold:');
    out.push(`  ${['threshold', 'recall', 'precision', 'F2', 'FN', 'FP', 'cost'].map((h) => pad(h, 11)).join('')}`);
    for (const r of byThreshold) {
      out.push(
        `  ${[r.threshold.toFixed(2), r.recall.toFixed(3), r.precision.toFixed(3), r.f2.toFixed(3), String(r.fn), String(r.fp), String(r.cost)].map((c) => pad(c, 11)).join('')}`,
      );
    }
    const groups = (m as Record<string, unknown>).subgroup_metrics as (Record<string, number> & {
      feature: string;
      group: string;
    })[];
    out.push('');
    out.push('test part by subgroup (bias check):');
    out.push(
      `  ${['feature', 'group', 'rows', 'pos', 'recall', 'precision', 'F2', 'FN'].map((h) => pad(h, 13)).join('')}`,
    );
    for (const g of groups) {
      out.push(
        `  ${[g.feature, g.group, String(g.rows), String(g.positives), g.positives ? g.recall.toFixed(3) : 'n/a', g.precision.toFixed(3), g.f2.toFixed(3), String(g.fn)].map((c) => pad(c, 13)).join('')}`,
      );
    }
    const cv = m.cv_estimates as Record<string, { mean: number; sd: number }> | null;
    if (cv) {
      out.push('');
      out.push(
        `repeated 5x5 CV: AUC ${cv.auc.mean.toFixed(3)} +- ${cv.auc.sd.toFixed(3)}, recall ${cv.recall.mean.toFixed(3)} +- ${cv.recall.sd.toFixed(3)}, precision ${cv.precision.mean.toFixed(3)} +- ${cv.precision.sd.toFixed(3)}, F2 ${cv.f2.mean.toFixed(3)}`,
      );
      const teacher = m.teacher_cv_estimates as
        | (Record<string, { mean: number; sd: number }> & { num_trees: number })
        | null;
      if (teacher) {
        out.push(
          `  teacher (${String(teacher.num_trees)} trees), same outer folds: AUC ${teacher.auc.mean.toFixed(3)} +- ${teacher.auc.sd.toFixed(3)}, recall ${teacher.recall.mean.toFixed(3)} +- ${teacher.recall.sd.toFixed(3)}, precision ${teacher.precision.mean.toFixed(3)} +- ${teacher.precision.sd.toFixed(3)}, F2 ${teacher.f2.mean.toFixed(3)}; student ${String(m.num_trees)} trees`,
        );
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    closeStore();
  }
}

runMain('train', main);
