/**
 * Side-by-side comparison of training-procedure variants over the same repeated stratified 5 x 5 outer CV
 * (the protocol of repeatedCv): per outer fold, each search space is tuned once on the outer training part
 * only, every final-model variant is built from that tuning, and all are scored on the untouched outer test
 * fold. Prints mean +- sd per variant and the median tuning time per search space.
 * Options: --repeats <n> (5), --trials <n> (100), --workers <n> (2), --out <json>, --spaces <a,b>, --outer-seed <n> (42).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runMain } from '../../core/cli/run-main';
import { takeRows } from '../../core/table/patient-table';
import { DATA_DIR, readManifest } from '../data-prep/data-manifest';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { metricsAt, type ThresholdMetrics } from '../pipeline/evaluate';
import {
  finalizeModel,
  matrixOf,
  type ProcedureOptions,
  scoreMatrix,
  tuneTrainingPart,
} from '../pipeline/fit-procedure';
import { formatMeanSd } from '../pipeline/repeated-cv';
import { N_ESTIMATORS_PARAM, type ParamSpec, REGULARISATION_PARAMS, SEARCH_SPACE } from '../tuner/search-space';
import { complement, stratifiedKFold } from '../tuner/stratified-split';

const SPACES: Record<string, readonly ParamSpec[]> = {
  reference: SEARCH_SPACE,
  '+reg': [...SEARCH_SPACE, ...REGULARISATION_PARAMS],
  '+ntrees': [...SEARCH_SPACE, N_ESTIMATORS_PARAM],
};

const FINALS: Record<string, Partial<ProcedureOptions>> = {
  'best1 (current)': { ensembleTopK: 1 },
  top3: { ensembleTopK: 3 },
  top5: { ensembleTopK: 5 },
  top10: { ensembleTopK: 10 },
  refit: { finalModel: 'refit' },
};

/** Per outer fold and variant, the probabilities behind the decision, so threshold rules can be compared offline. */
interface Saved {
  oofProbs: number[];
  oofLabels: number[];
  heldProbs: number[];
  heldLabels: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string' },
      trials: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      spaces: { type: 'string' },
      'outer-seed': { type: 'string' },
    },
  });
  const repeats = Number(values.repeats ?? 5);
  const base: Partial<ProcedureOptions> = {
    nTrials: Number(values.trials ?? 100),
    workers: Number(values.workers ?? 2),
    seed: 42,
  };
  const spaceNames = values.spaces ? values.spaces.split(',') : Object.keys(SPACES);
  const { table } = await loadTrainingTable(join(DATA_DIR, readManifest().file));
  const outcome = table.outcome as Uint8Array;
  const results: Record<string, ThresholdMetrics[]> = {};
  const tuneSeconds: Record<string, number[]> = {};
  const saved: Record<string, Saved[]> = {};
  const push = <T>(bag: Record<string, T[]>, key: string, value: T) => {
    bag[key] = [...(bag[key] ?? []), value];
  };
  const print = () => {
    const lines: string[] = [];
    for (const [name, folds] of Object.entries(results)) {
      const f = (k: keyof ThresholdMetrics) => formatMeanSd(folds.map((m) => m[k] as number));
      lines.push(
        `${name.padEnd(34)} n=${folds.length}  AUC ${f('auc')}  recall ${f('recall')}  precision ${f('precision')}  F2 ${f('f2')}`,
      );
    }
    for (const [name, times] of Object.entries(tuneSeconds)) {
      const s = [...times].sort((a, b) => a - b);
      lines.push(`tuning time ${name}: median ${s[s.length >> 1].toFixed(2)} s over ${s.length} outer folds`);
    }
    return lines.join('\n');
  };
  for (let r = 0; r < repeats; r++) {
    // Default outer folds are repeatedCv's; another --outer-seed gives fresh folds to confirm a choice on.
    const outer = stratifiedKFold(outcome, 5, Number(values['outer-seed'] ?? 42) + 1000 * (r + 1));
    for (let f = 0; f < 5; f++) {
      const trainRows = complement(table.rowCount, outer[f]);
      const heldTable = takeRows(table, outer[f]);
      for (const spaceName of spaceNames) {
        const started = performance.now();
        const part = await tuneTrainingPart(table, trainRows, { ...base, space: SPACES[spaceName] });
        push(tuneSeconds, spaceName, (performance.now() - started) / 1000);
        const held = matrixOf(part.preprocess, heldTable);
        for (const [finalName, final] of Object.entries(FINALS)) {
          const model = finalizeModel(part, { ...base, ...final });
          const probs = scoreMatrix(model.ensemble, model.calibration, held);
          const key = `${spaceName} | ${finalName}`;
          push(results, key, metricsAt(probs, held.labels, model.threshold));
          const round = (a: ArrayLike<number>) => Array.from(a, (v) => Math.round(v * 1e7) / 1e7);
          push(saved, key, {
            oofProbs: round(model.oof.probabilities),
            oofLabels: Array.from(model.oof.labels),
            heldProbs: round(probs),
            heldLabels: Array.from(held.labels),
          });
        }
      }
      process.stderr.write(`outer fold ${r * 5 + f + 1}/${repeats * 5}\n${print()}\n`);
      if (values.out) writeFileSync(values.out, JSON.stringify({ results, tuneSeconds, saved }));
    }
  }
  process.stdout.write(`${print()}\n`);
}

runMain('compare-variants', main);
