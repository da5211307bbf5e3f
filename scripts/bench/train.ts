/**
 * npm run bench:train: (1) wall time of the full default tuning (100 TPE trials x 5-fold CV on the 60%
 * training part, worker threads as configured), median of --runs runs; (2) quality of the whole procedure
 * over repeated stratified 5 x 5 CV, against the quality targets. Figures on stdout, progress on stderr.
 * Options: --runs <n> (3), --trials <n> (100), --workers <n> (2), --cv-repeats <n> (5), --skip-cv, --data <csv>,
 * --cv-seed <n> (outer folds' seed; default the procedure's, 42); (3) retraining as the app runs it, on the Pima data
 * plus --retrain-rows (10000) synthetic labelled production rows in --retrain-weeks (10) weekly batches stored in a
 * temporary database: assembly from the store, snapshot, the time-held-out fit and the candidate's fit and bundle,
 * median of --runs runs (--skip-retrain leaves it out, --skip-tune the tuning timing). Retraining starts from a copy of
 * the repository's production model, as a clinic's would: its default search is warm-started from that model's
 * parameters (--neighbours, default RETRAIN_SEARCH's); --retrain-search full|both times the full --trials study instead
 * or as well, side by side. Every line carries the load average, since the machine may be shared.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ProgressBar } from '../../core/cli/progress-bar';
import { runMain } from '../../core/cli/run-main';
import { readSnapshot } from '../../core/retrain/dataset-snapshot';
import { DEFAULT_HELD_OUT_WEEKS } from '../../core/retrain/held-out-weeks';
import { assembleFromStore, snapshotDataset } from '../../core/retrain/prepare-dataset';
import { openStore } from '../../core/store/sqlite-store';
import type { PatientTable } from '../../core/table/patient-table';
import { storeLabelledWeeks } from '../../core/testing/labelled-production';
import { PIMA_PATH } from '../../core/testing/pima';
import { median } from '../../core/util/median';
import { REPO_ROOT, resolveFromRoot } from '../../training/data-prep/data-manifest';
import { loadTrainingTable } from '../../training/data-prep/load-training-table';
import { NULL_RECORDER } from '../../training/pipeline/experiment-recorder';
import { finalizeModel, tuneTrainingPart } from '../../training/pipeline/fit-procedure';
import { repeatedCv } from '../../training/pipeline/repeated-cv';
import { RETRAIN_SEARCH, type RetrainSearch, runRetraining } from '../../training/pipeline/retrain-run';
import { stratifiedSplit } from '../../training/tuner/stratified-split';

const TARGETS = { tuneSeconds: 10, retrainSeconds: 30, auc: 0.835, recall: 0.85, precision: 0.58 };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      trials: { type: 'string' },
      workers: { type: 'string' },
      'cv-repeats': { type: 'string' },
      'skip-cv': { type: 'boolean' },
      'cv-seed': { type: 'string' },
      data: { type: 'string' },
      'skip-tune': { type: 'boolean' },
      'skip-retrain': { type: 'boolean' },
      'retrain-rows': { type: 'string' },
      'retrain-weeks': { type: 'string' },
      'retrain-search': { type: 'string' },
      neighbours: { type: 'string' },
    },
  });
  const path = values.data ? resolveFromRoot(values.data) : PIMA_PATH;
  const { table } = await loadTrainingTable(path);
  const outcome = table.outcome as Uint8Array;
  const runs = Number(values.runs ?? 3);
  const nTrials = Number(values.trials ?? 100);
  const workers = Number(values.workers ?? 2);
  const split = stratifiedSplit(outcome, [0.6, 0.2, 0.2], 42);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`bench:train  data ${path} (${table.rowCount} rows), ${cpus().length} CPUs, Node ${process.version}`);

  if (!values['skip-retrain']) {
    const which = values['retrain-search'] ?? 'warm-start';
    if (!['warm-start', 'full', 'both'].includes(which))
      throw new Error('--retrain-search must be warm-start, full or both');
    const searches: RetrainSearch[] = [];
    if (which !== 'full')
      searches.push({
        kind: 'warm-start',
        ...RETRAIN_SEARCH,
        neighbours: Number(values.neighbours ?? RETRAIN_SEARCH.neighbours),
      });
    if (which !== 'warm-start') searches.push({ kind: 'full' });
    await benchRetrain(table, {
      runs,
      nTrials,
      workers,
      rows: Number(values['retrain-rows'] ?? 10000),
      weeks: Number(values['retrain-weeks'] ?? 10),
      searches,
      out,
    });
  }
  if (values['skip-tune']) return 0;

  const times: number[] = [];
  const finalTimes: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const part = await tuneTrainingPart(table, split.train, { nTrials, workers });
    const seconds = (performance.now() - started) / 1000;
    times.push(seconds);
    // The final model (ensemble, and with distillation the per-fold and final students) is timed apart.
    const finalStarted = performance.now();
    const model = await finalizeModel(part, { nTrials, workers });
    finalTimes.push((performance.now() - finalStarted) / 1000);
    const feasible = model.tuning.trials.filter((t) => t.state === 'complete').length;
    out(
      `  run ${r + 1}: ${nTrials} trials x 5 folds on ${split.train.length} rows in ${seconds.toFixed(2)} s (${feasible} feasible, best OOF F2 ${(model.tuning.best.value ?? 0).toFixed(3)}); final model (${model.ensemble.trees.length} trees) ${finalTimes[r].toFixed(2)} s`,
    );
  }
  const med = median(times);
  out(
    `full default tuning: median ${med.toFixed(2)} s over ${runs} runs (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}); target <= ${TARGETS.tuneSeconds} s: ${med <= TARGETS.tuneSeconds ? 'MET' : 'NOT MET'}`,
  );

  out(`final model after tuning: median ${median(finalTimes).toFixed(2)} s`);

  if (!values['skip-cv']) {
    const repeats = Number(values['cv-repeats'] ?? 5);
    const bar = new ProgressBar({ label: 'repeated CV', logWithoutTty: true });
    const started = performance.now();
    const cvSeed = values['cv-seed'] === undefined ? undefined : Number(values['cv-seed']);
    const result = await repeatedCv(
      table,
      repeats,
      5,
      { nTrials, workers },
      (done) => bar.update(done, repeats * 5),
      cvSeed,
    );
    const s = result.summary;
    const f = (k: keyof typeof s) => `${s[k].mean.toFixed(3)} +- ${s[k].sd.toFixed(3)}`;
    out(
      `repeated ${repeats} x 5 stratified CV of the whole procedure (${((performance.now() - started) / 1000).toFixed(0)} s):`,
    );
    out(
      `  AUC ${f('auc')}  recall ${f('recall')}  precision ${f('precision')}  F2 ${f('f2')}  PR-AUC ${f('prAuc')}  Brier ${f('brier')}`,
    );
    const t = result.teacher;
    if (t) {
      const g = (k: keyof typeof s) => `${t.summary[k].mean.toFixed(3)} +- ${t.summary[k].sd.toFixed(3)}`;
      out(
        `  teacher (${t.numTrees} trees) on the same folds: AUC ${g('auc')}  recall ${g('recall')}  precision ${g('precision')}  F2 ${g('f2')}`,
      );
    }
    out(`  mean AUC >= ${TARGETS.auc}: ${s.auc.mean >= TARGETS.auc ? 'MET' : 'NOT MET'} (${s.auc.mean.toFixed(3)})`);
    out(
      `  mean recall >= ${TARGETS.recall}: ${s.recall.mean >= TARGETS.recall ? 'MET' : 'NOT MET'} (${s.recall.mean.toFixed(3)})`,
    );
    out(
      `  mean precision >= ${TARGETS.precision}: ${s.precision.mean >= TARGETS.precision ? 'MET' : 'NOT MET'} (${s.precision.mean.toFixed(3)})`,
    );
  }
  return 0;
}

runMain('bench:train', main);

/** Retraining end to end on the Pima rows plus stored, labelled synthetic production weeks. */
async function benchRetrain(
  pima: PatientTable,
  o: {
    runs: number;
    nTrials: number;
    workers: number;
    rows: number;
    weeks: number;
    searches: RetrainSearch[];
    out: (line: string) => void;
  },
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-retrain-'));
  try {
    const store = openStore(join(dir, 'glucoscreen.db'), { auditKeyring: null });
    const perWeek = Math.ceil(o.rows / o.weeks);
    await storeLabelledWeeks(store, pima, {
      startMonday: '2026-09-07',
      weeks: o.weeks,
      rowsPerWeek: perWeek,
      seed: 17,
      dir,
    });
    for (const search of o.searches) await timeRetraining(store, pima, dir, search, o);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** --runs whole retrainings with one search; the candidate's models folder starts with the repository's production. */
async function timeRetraining(
  store: ReturnType<typeof openStore>,
  pima: PatientTable,
  dir: string,
  search: RetrainSearch,
  o: { runs: number; nTrials: number; workers: number; rows: number; out: (line: string) => void },
): Promise<void> {
  const label =
    search.kind === 'full'
      ? `full search (${o.nTrials} TPE trials)`
      : `warm start (production's parameters + ${search.neighbours} neighbours)`;
  const times: number[] = [];
  // CPU seconds of this process and its worker threads: on a shared machine the wall time also counts waiting.
  const cpuTimes: number[] = [];
  const loads: string[] = [];
  for (let r = 0; r < o.runs; r++) {
    const modelsDir = join(dir, `models-${search.kind}-${r}`);
    cpSync(join(REPO_ROOT, 'models/production'), join(modelsDir, 'production'), { recursive: true });
    loads.push(load());
    const started = performance.now();
    const cpu = process.cpuUsage();
    const assembled = assembleFromStore(store, pima);
    const snap = snapshotDataset(store, dir, assembled, 'bench');
    const { set } = readSnapshot(snap.path, snap.version.sha256);
    const prepared = (performance.now() - started) / 1000;
    let heldOutDone = started;
    const result = await runRetraining({
      set,
      dataset: { versionId: snap.version.id, sha256: snap.version.sha256, path: snap.path, counts: assembled.counts },
      modelsDir,
      repoRoot: REPO_ROOT,
      procedure: { nTrials: o.nTrials, workers: o.workers },
      search,
      heldOut: DEFAULT_HELD_OUT_WEEKS,
      recorder: NULL_RECORDER,
      onProgress: (p) => {
        if (p.phase === 'tuning' && p.done === 1) heldOutDone = performance.now();
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    times.push(seconds);
    cpuTimes.push((used.user + used.system) / 1e6);
    const held = result.split;
    const m = result.metadata as unknown as {
      oof_metrics: { recall: number; precision: number; f2: number; auc: number };
      test_metrics: { recall: number; precision: number; f2: number; auc: number };
      time_held_out: { evaluated: boolean; metrics: { recall: number; precision: number; auc: number } | null };
    };
    const figures = (x: { recall: number; precision: number; auc: number; f2?: number }) =>
      `recall ${x.recall.toFixed(3)}, precision ${x.precision.toFixed(3)}, AUC ${x.auc.toFixed(3)}${x.f2 === undefined ? '' : `, F2 ${x.f2.toFixed(3)}`}`;
    o.out(
      `    candidate: out of fold ${figures(m.oof_metrics)}; test part ${figures(m.test_metrics)}; time-held-out ${m.time_held_out.metrics ? figures(m.time_held_out.metrics) : 'not evaluated'}`,
    );
    o.out(
      `  ${label}, run ${r + 1} (load average ${loads[r]} at the start, ${load()} at the end): ${set.table.rowCount} rows (${assembled.counts.rowsBySource.production} labelled production) in ${seconds.toFixed(1)} s (CPU ${cpuTimes[r].toFixed(1)} s): assembly and snapshot ${prepared.toFixed(2)} s, time-held-out fit (${held.rest.length} rows, ${held.heldOut.length} held out) ${((heldOutDone - started) / 1000 - prepared).toFixed(1)} s, candidate ${((performance.now() - heldOutDone) / 1000).toFixed(1)} s`,
    );
  }
  const med = median(times);
  o.out(
    `retraining, ${label} (Pima + ${o.rows} labelled production rows, ${o.workers} workers): median ${med.toFixed(1)} s (CPU ${median(cpuTimes).toFixed(1)} s) over ${o.runs} runs (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}); target <= ${TARGETS.retrainSeconds} s: ${med <= TARGETS.retrainSeconds ? 'MET' : 'NOT MET'}; load average ${load()} (1 / 5 / 15 min)`,
  );
}
