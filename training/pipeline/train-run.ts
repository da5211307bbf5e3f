import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { EDA_SNAPSHOT_FILE, edaSnapshot } from '../../core/eda/eda-snapshot';
import { DEFAULT_RISK_CUTS, type RiskCuts } from '../../core/model/risk-category';
import { fitCbpeReference } from '../../core/monitoring/cbpe';
import { transformFeatures } from '../../core/preprocess/pipeline';
import { sha256Hex } from '../../core/registry/bundle';
import type { DriftReference, ModelMetadata } from '../../core/registry/model-metadata';
import { ModelRegistry } from '../../core/registry/model-registry';
import { type Bump, bumpVersion } from '../../core/registry/semver';
import { FEATURE_COLUMNS, MODEL_FEATURES, type ModelFeatureName } from '../../core/schema/columns';
import { type PatientTable, takeRows } from '../../core/table/patient-table';
import { renderModelCard } from '../export/model-card';
import { writeBundle } from '../export/write-bundle';
import { type SplitIndices, stratifiedSplit, validateSplit } from '../tuner/stratified-split';
import type { TrialResult } from '../tuner/tune';
import { DEFAULT_STUDENT_CONFIG } from './distil';
import { calibrationReport, metricsAt, subgroupMetrics, thresholdTable } from './evaluate';
import { type ExperimentRecorder, NULL_RECORDER } from './experiment-recorder';
import { DEFAULT_PROCEDURE, fitProcedure, matrixOf, type ProcedureOptions, scoreMatrix } from './fit-procedure';
import { globalImportance } from './global-importance';
import { type RepeatedCvResult, repeatedCv } from './repeated-cv';

interface TrainRunOptions {
  table: PatientTable;
  dataPath: string;
  dataSha256: string;
  dataHashAccepted: boolean;
  repoRoot: string;
  modelsDir: string;
  procedure: Partial<ProcedureOptions>;
  /** External split (0-based data-row indices); otherwise a stratified 60/20/20 split with the seed. */
  split?: { indices: SplitIndices; file: string };
  repeatedCv?: { repeats: number; folds: number };
  version?: string;
  bump: Bump;
  promote: boolean;
  riskCuts?: RiskCuts;
  recorder?: ExperimentRecorder;
  now?: () => Date;
  onTrial?: (trial: TrialResult) => void;
  onCvFold?: (done: number, total: number) => void;
  /** The experiment run's name and extra tags (default `train <version>`). */
  runName?: string;
  runTags?: Record<string, string>;
  /** Called once the run is recorded, before any fitting (the retrain process reports the id to the app). */
  onRunStarted?: (runId: number | null) => void;
  /**
   * A further evaluation run inside the recorded run, before the main fit (retraining's time-held-out weeks): its
   * `metadata` goes into metadata.json and the model card, its `metrics` into the run record.
   */
  extraEvaluation?: () => Promise<{ metadata: Record<string, unknown>; metrics: Record<string, unknown> }>;
  /**
   * Where the bundle is built before it is renamed into experiments/ (default: a dot-folder in experiments/, which the
   * registry does not list); on the same file system, so the rename is atomic and no half-written bundle is ever listed.
   */
  stagingDir?: string;
}

interface TrainRunResult {
  bundleDir: string;
  metadata: ModelMetadata;
  promoted: boolean;
  repeated: RepeatedCvResult | null;
}

/** The core folders the training code imports (directly or indirectly). */
const TRAINING_CORE_DIRS = [
  'schema',
  'table',
  'ingest',
  'preprocess',
  'model',
  'metrics',
  'registry',
  'store',
  'explain',
  'monitoring',
];

function codeRevision(repoRoot: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    // "-dirty" when a tracked file that training runs on differs from HEAD.
    const paths = ['training', ...TRAINING_CORE_DIRS.map((d) => `core/${d}`)];
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', ...paths], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** `dir`, or `dir_2`, `dir_3`, ... when a bundle of the same second exists already. */
function freeDir(dir: string): string {
  if (!existsSync(dir)) return dir;
  for (let i = 2; ; i++) if (!existsSync(`${dir}_${i}`)) return `${dir}_${i}`;
}

/** The training part's raw features (zeros kept) and engineered features: drift detection's reference. */
export function driftReference(trainTable: PatientTable, preprocess: Parameters<typeof transformFeatures>[0]) {
  const engineered = transformFeatures(preprocess, trainTable);
  const columns = {} as Record<ModelFeatureName, number[]>;
  for (const name of MODEL_FEATURES) {
    const raw = (FEATURE_COLUMNS as readonly string[]).includes(name);
    columns[name] = Array.from(
      raw ? trainTable.features[name as (typeof FEATURE_COLUMNS)[number]] : engineered.columns[name],
    );
  }
  return { rowCount: trainTable.rowCount, columns } satisfies DriftReference;
}

export async function runTraining(o: TrainRunOptions): Promise<TrainRunResult> {
  const now = o.now ?? (() => new Date());
  const recorder = o.recorder ?? NULL_RECORDER;
  const procedure: ProcedureOptions = { ...DEFAULT_PROCEDURE, ...o.procedure };
  const table = o.table;
  if (!table.outcome) throw new Error('training data has no Outcome');
  const split = o.split?.indices ?? stratifiedSplit(table.outcome, [0.6, 0.2, 0.2], procedure.seed);
  validateSplit(split, table.rowCount);
  const registry = new ModelRegistry(o.modelsDir);
  const production = registry.productionVersion();
  const version = o.version ?? (production ? bumpVersion(production, o.bump) : 'v1.0.0');
  const startedAt = now();
  // The revision of the code that runs now (not of whatever is checked out when the run ends).
  const revision = codeRevision(o.repoRoot);

  const runId = recorder.startRun({
    name: o.runName ?? `train ${version}`,
    kind: 'train',
    params: { ...procedure, onTrial: undefined, split: o.split ? o.split.file : 'stratified 60/20/20' },
    tags: { version, data_hash_accepted: String(o.dataHashAccepted), code_revision: revision, ...o.runTags },
    dataSha256: o.dataSha256,
  });
  o.onRunStarted?.(runId);
  let staging: string | null = null;
  try {
    const extra = o.extraEvaluation ? await o.extraEvaluation() : { metadata: {}, metrics: {} };
    let bestSoFar = Number.NEGATIVE_INFINITY;
    const model = await fitProcedure(table, split.train, {
      ...procedure,
      onTrial: (trial) => {
        recorder.trial(runId, {
          number: trial.number,
          params: trial.params,
          value: trial.value,
          state: trial.state,
          metrics: trial.metrics,
        });
        if (trial.state === 'complete' && (trial.value ?? 0) > bestSoFar) bestSoFar = trial.value ?? 0;
        if (Number.isFinite(bestSoFar)) recorder.metric(runId, 'best_f2', bestSoFar, trial.number);
        o.onTrial?.(trial);
      },
    });

    const evaluate = (rows: number[]) => {
      const matrix = matrixOf(model.preprocess, takeRows(table, rows));
      return { matrix, probs: scoreMatrix(model.ensemble, model.calibration, matrix) };
    };
    const test = evaluate(split.test);
    const val = split.val.length > 0 ? evaluate(split.val) : null;
    const t = model.threshold;
    const testMetrics = metricsAt(test.probs, test.matrix.labels, t);
    const oofMetrics = metricsAt(model.oof.probabilities, model.oof.labels, t);
    const valMetrics = val ? metricsAt(val.probs, val.matrix.labels, t) : null;
    const estimates = valMetrics ?? oofMetrics;
    // CBPE's sampling-error reference from the same labelled predictions as validation_estimates.
    const cbpeReference = val
      ? fitCbpeReference(val.probs, val.matrix.labels, t, 2)
      : fitCbpeReference(model.oof.probabilities, model.oof.labels, t, 2);

    let repeated: RepeatedCvResult | null = null;
    if (o.repeatedCv) {
      repeated = await repeatedCv(
        table,
        o.repeatedCv.repeats,
        o.repeatedCv.folds,
        { ...procedure },
        (done, total, m) => {
          recorder.metric(runId, 'repeated_cv_auc', m.auc, done);
          recorder.metric(runId, 'repeated_cv_recall', m.recall, done);
          recorder.metric(runId, 'repeated_cv_precision', m.precision, done);
          o.onCvFold?.(done, total);
        },
      );
    }

    const trainTable = takeRows(table, split.train);
    const tuning = model.tuning;
    const importance = globalImportance(model.ensemble, model.preprocess, trainTable, 'training part');
    const metadata = {
      version,
      algorithm: 'GBDT, binary log-loss (LightGBM semantics, TypeScript trainer)',
      optimization_target: 'F2 at the threshold with recall >= 0.85 (trials with precision < 0.45 infeasible)',
      optimal_threshold: t,
      target_recall: procedure.minRecall,
      risk_cuts: o.riskCuts ?? { ...DEFAULT_RISK_CUTS },
      test_metrics: {
        ...testMetrics,
        confusion_matrix: [
          [testMetrics.tn, testMetrics.fp],
          [testMetrics.fn, testMetrics.tp],
        ],
      },
      validation_estimates: {
        recall: estimates.recall,
        precision: estimates.precision,
        f2: estimates.f2,
        auc: estimates.auc,
        source: valMetrics ? 'validation part' : 'out-of-fold (no validation part in the split)',
      },
      cbpe_reference: cbpeReference,
      cbpe_reference_source: val
        ? 'calibrated probabilities of the validation part'
        : 'calibrated out-of-fold probabilities of the training part',
      validation_metrics: valMetrics,
      oof_metrics: oofMetrics,
      cv_estimates: repeated ? { repeats: repeated.repeats, folds: repeated.folds, ...repeated.summary } : null,
      repeated_cv_folds: repeated?.perFold ?? null,
      teacher_cv_estimates: repeated?.teacher
        ? { num_trees: repeated.teacher.numTrees, ...repeated.teacher.summary }
        : null,
      threshold_table: {
        test: thresholdTable(test.probs, test.matrix.labels),
        oof: thresholdTable(model.oof.probabilities, model.oof.labels),
      },
      subgroup_metrics: subgroupMetrics(test.matrix, test.probs, t),
      subgroup_metrics_oof: subgroupMetrics(model.trainMatrix, model.oof.probabilities, t),
      calibration_report: calibrationReport(model.oof.margins, model.oof.probabilities, model.oof.labels),
      cost_weights: { fn: 1000, fp: 50 },
      training_date: startedAt.toISOString(),
      data_path: relative(o.repoRoot, o.dataPath) || o.dataPath,
      data_sha256: o.dataSha256,
      data_hash_accepted: o.dataHashAccepted,
      code_revision: revision,
      feature_order: [...MODEL_FEATURES],
      calibration: model.calibration,
      best_params: model.bestParams,
      training_config: model.trainConfig,
      num_trees: model.ensemble.trees.length,
      final_model:
        procedure.finalModel === 'cv-ensemble' && procedure.distilTrees > 0
          ? `one GBDT of ${procedure.distilTrees} trees distilled (soft labels, ${procedure.distilAugmentRows} synthetic rows from the training part) from the average of the ${procedure.cvFolds} fold models of each of the ${model.ensembleTrials.length} best feasible trials (teacher, ${model.teacher?.ensemble.trees.length ?? '?'} trees); calibration and threshold from students distilled per inner fold and scored on the fold they never saw`
          : procedure.finalModel === 'cv-ensemble'
            ? `average of the ${procedure.cvFolds} fold models of each of the ${model.ensembleTrials.length} best feasible trials (${model.ensembleTrials.length * procedure.cvFolds} models; exactly the models behind the out-of-fold margins that set the calibration and the threshold)`
            : 'refit on the whole training part with the best parameters',
      ensemble_trials: model.ensembleTrials,
      ensemble_params: model.ensembleParams,
      threshold_method: procedure.thresholdMethod,
      distillation:
        procedure.distilTrees > 0
          ? {
              student_trees: procedure.distilTrees,
              augment_rows: procedure.distilAugmentRows,
              student_config: { ...DEFAULT_STUDENT_CONFIG, ...procedure.distilStudent },
              teacher_trees: model.teacher?.ensemble.trees.length ?? null,
              teacher_threshold: model.teacher?.threshold ?? null,
            }
          : null,
      global_importance: importance,
      n_trials: procedure.nTrials,
      search_space: procedure.space ?? null,
      cv_folds: procedure.cvFolds,
      seed: procedure.seed,
      tuning_summary: {
        complete: tuning.trials.filter((x) => x.state === 'complete').length,
        infeasible: tuning.trials.filter((x) => x.state === 'infeasible').length,
        failed: tuning.trials.filter((x) => x.state === 'failed').length,
        best_trial: tuning.best.number,
        best_value: tuning.best.value,
        best_metrics: tuning.best.metrics,
      },
      split: {
        kind: o.split ? 'external' : 'stratified 60/20/20',
        file: o.split?.file ?? null,
        seed: procedure.seed,
        trainRows: split.train.length,
        valRows: split.val.length,
        testRows: split.test.length,
      },
    };
    const bundleDir = freeDir(registry.experimentDir(startedAt));
    staging = o.stagingDir ?? join(dirname(bundleDir), `.partial-${basename(bundleDir)}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(bundleDir), { recursive: true });
    // The training data's EDA travels with the model, for installations that do not have the training file.
    const eda = new TextEncoder().encode(`${JSON.stringify(edaSnapshot(table, o.dataSha256))}\n`);
    Object.assign(metadata, extra.metadata, { eda_snapshot: { file: EDA_SNAPSHOT_FILE, sha256: sha256Hex(eda) } });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, EDA_SNAPSHOT_FILE), eda);
    const written = writeBundle(staging, {
      ensemble: model.ensemble,
      calibration: model.calibration,
      preprocess: model.preprocess,
      reference: driftReference(trainTable, model.preprocess),
      metadata: JSON.parse(
        JSON.stringify(metadata, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
      ),
      modelCard: renderModelCard,
    });
    renameSync(staging, bundleDir);
    let promoted = false;
    if (o.promote) {
      await registry.promote(bundleDir);
      promoted = true;
    }
    for (const [key, value] of Object.entries(testMetrics))
      if (typeof value === 'number') recorder.metric(runId, `test_${key}`, value);
    recorder.finish(runId, {
      status: 'finished',
      artifactPaths: [bundleDir, ...(promoted ? [registry.production] : [])],
      metrics: {
        test: testMetrics,
        validation: valMetrics,
        oof: oofMetrics,
        cv: repeated?.summary ?? null,
        threshold: t,
        ...extra.metrics,
      },
    });
    return { bundleDir, metadata: written, promoted, repeated };
  } catch (error) {
    if (staging) rmSync(staging, { recursive: true, force: true });
    recorder.finish(runId, { status: 'failed', artifactPaths: [], metrics: { error: String(error) } });
    throw error;
  }
}
