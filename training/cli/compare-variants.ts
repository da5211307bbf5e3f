/**
 * Side-by-side comparison of training-procedure variants over the same repeated stratified 5 x 5 outer CV
 * (the protocol of repeatedCv): per outer fold, each search space is tuned once on the outer training part
 * only, every final-model variant is built from that tuning, and all are scored on the untouched outer test
 * fold. Prints mean +- sd per variant and the median tuning time per search space.
 * Options: --repeats <n> (5), --trials <n> (100), --workers <n> (2), --out <json>, --spaces <a,b>, --outer-seed <n> (42).
 */
import { writeFileSync } from 'node:fs';
import { runMain } from '../../core/cli/run-main';
import { takeRows } from '../../core/table/patient-table';
import { finalizeModel, matrixOf, type ProcedureOptions, tuneTrainingPart } from '../pipeline/fit-procedure';
import { N_ESTIMATORS_PARAM, type ParamSpec, REGULARISATION_PARAMS, SEARCH_SPACE } from '../tuner/search-space';
import { FoldResults, openOuterCvStudy, scoreHeldOut } from './outer-cv-study';

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
  const study = await openOuterCvStudy({ out: { type: 'string' }, spaces: { type: 'string' } });
  const { values, base, table } = study;
  const spaceNames = values.spaces ? values.spaces.split(',') : Object.keys(SPACES);
  const results = new FoldResults();
  const tuneSeconds: Record<string, number[]> = {};
  const saved: Record<string, Saved[]> = {};
  const push = <T>(bag: Record<string, T[]>, key: string, value: T) => {
    bag[key] = [...(bag[key] ?? []), value];
  };
  const print = () => {
    const lines = results.lines(34);
    for (const [name, times] of Object.entries(tuneSeconds)) {
      const s = [...times].sort((a, b) => a - b);
      lines.push(`tuning time ${name}: median ${s[s.length >> 1].toFixed(2)} s over ${s.length} outer folds`);
    }
    return lines.join('\n');
  };
  await study.forEachOuterFold(async (trainRows, heldRows) => {
    const heldTable = takeRows(table, heldRows);
    for (const spaceName of spaceNames) {
      const started = performance.now();
      const part = await tuneTrainingPart(table, trainRows, { ...base, space: SPACES[spaceName] });
      push(tuneSeconds, spaceName, (performance.now() - started) / 1000);
      const held = matrixOf(part.preprocess, heldTable);
      for (const [finalName, final] of Object.entries(FINALS)) {
        const model = await finalizeModel(part, { ...base, ...final });
        const { probs, metrics } = scoreHeldOut(model, held);
        const key = `${spaceName} | ${finalName}`;
        results.add(key, metrics);
        const round = (a: ArrayLike<number>) => Array.from(a, (v) => Math.round(v * 1e7) / 1e7);
        push(saved, key, {
          oofProbs: round(model.oof.probabilities),
          oofLabels: Array.from(model.oof.labels),
          heldProbs: round(probs),
          heldLabels: Array.from(held.labels),
        });
      }
    }
    if (values.out) writeFileSync(values.out, JSON.stringify({ results: results.byVariant, tuneSeconds, saved }));
  }, print);
  process.stdout.write(`${print()}\n`);
}

runMain('compare-variants', main);
