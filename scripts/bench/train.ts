/**
 * npm run bench:train: (1) wall time of the full default tuning (100 TPE trials x 5-fold CV on the 60%
 * training part, worker threads as configured), median of --runs runs; (2) quality of the whole procedure
 * over repeated stratified 5 x 5 CV, against the quality targets. Figures on stdout, progress on stderr.
 * Options: --runs <n> (3), --trials <n> (100), --workers <n> (2), --cv-repeats <n> (5), --skip-cv, --data <csv>,
 * --cv-seed <n> (outer folds' seed; default the procedure's, 42).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { ProgressBar } from '../../core/cli/progress-bar';
import { runMain } from '../../core/cli/run-main';
import { PIMA_PATH } from '../../core/testing/pima';
import { median } from '../../core/util/median';
import { resolveFromRoot } from '../../training/data-prep/data-manifest';
import { loadTrainingTable } from '../../training/data-prep/load-training-table';
import { finalizeModel, tuneTrainingPart } from '../../training/pipeline/fit-procedure';
import { repeatedCv } from '../../training/pipeline/repeated-cv';
import { stratifiedSplit } from '../../training/tuner/stratified-split';

const TARGETS = { tuneSeconds: 10, auc: 0.835, recall: 0.85, precision: 0.58 };

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

  const times: number[] = [];
  const finalTimes: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const part = await tuneTrainingPart(table, split.train, { nTrials, workers });
    const seconds = (performance.now() - started) / 1000;
    times.push(seconds);
    // The final model (ensemble, and with distillation the per-fold and final students) is timed apart.
    const finalStarted = performance.now();
    const model = finalizeModel(part, { nTrials, workers });
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
