/**
 * Cost of explanations for a 10,000-row screening batch (target: under 1 s).
 * Uses models/production/trees.json when it exists, else a seeded ensemble of 300 trees x 31 leaves (depth <= 10)
 * grown on the Pima file. Rows are the Pima model matrix repeated to 10,000 rows (the algorithm's cost does not
 * depend on the values). Prints the median of several runs, wall clock and process CPU time (the machine may be
 * shared, so CPU time is the steadier figure), for:
 *   TreeSHAP into a caller buffer; TreeSHAP + fold-back onto the 8 inputs (explainScreeningBatch);
 *   top-3 reason phrases for every row.
 *   npx tsx scripts/bench/explain.ts [runs=7] [path/to/trees.json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { explainScreeningBatch, reasonsForRow } from '../../core/explain/explain-batch';
import { interactionReferenceFromSample } from '../../core/explain/fold-contributions';
import { topReasons } from '../../core/explain/reason-codes';
import { columnsInOrder, prepareTreeShap } from '../../core/explain/tree-shap';
import { treeShapReference } from '../../core/explain/tree-shap-reference';
import type { TreeEnsemble } from '../../core/model/tree';
import { FEATURE_COLUMNS, type FeatureName, MODEL_FEATURES, type ModelFeatureName } from '../../core/schema/columns';
import { loadPimaColumns } from '../../core/testing/pima';
import { syntheticEnsemble } from '../../core/testing/synthetic-ensemble';

const runs = Number(process.argv[2] ?? 7);
const rowCount = 10_000;
const treesPath = process.argv[3] ?? 'models/production/trees.json';

const pima = loadPimaColumns();
const features = [...MODEL_FEATURES];
const pimaColumns = columnsInOrder(pima.model, features);
let ensemble: TreeEnsemble;
let source: string;
if (existsSync(treesPath)) {
  ensemble = JSON.parse(readFileSync(treesPath, 'utf8')) as TreeEnsemble;
  source = treesPath;
} else {
  ensemble = syntheticEnsemble(pimaColumns, pima.rowCount, features, { trees: 300, maxLeaves: 31, maxDepth: 10 }, 42);
  source = 'seeded synthetic ensemble (no trees.json yet)';
}
const leaves = ensemble.trees.reduce((a, t) => a + t.numLeaves, 0);
console.log(
  `model: ${source}: ${ensemble.trees.length} trees, ${(leaves / ensemble.trees.length).toFixed(1)} leaves/tree`,
);

const tile = (column: ArrayLike<number>) =>
  Float64Array.from({ length: rowCount }, (_, r) => column[r % pima.rowCount]);
const model = {} as Record<ModelFeatureName, Float64Array>;
for (const name of MODEL_FEATURES) model[name] = tile(pima.model[name]);
const raw = {} as Record<FeatureName, Float64Array>;
for (const name of FEATURE_COLUMNS) raw[name] = tile(pima.raw[name]);
const columns = columnsInOrder(model, features);
const reference = interactionReferenceFromSample(pima.raw.Glucose, pima.raw.BMI);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(0)} ms`;

function measure(label: string, work: () => void): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    work();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  console.log(
    `${label}: median wall ${ms(median(wall))}, median CPU ${ms(median(cpu))} over ${runs} runs ` +
      `(wall: ${wall.map(ms).join(', ')})`,
  );
}

const t0 = performance.now();
const explainer = prepareTreeShap(ensemble);
console.log(
  `prepare (validate + tables): ${ms(performance.now() - t0)}, tables ${((explainer.tableEntries * 8) / 1e6).toFixed(1)} MB, ` +
    `trees on the reference algorithm: ${explainer.referenceTreeCount}`,
);

const out = new Float64Array(rowCount * explainer.width);
measure(`TreeSHAP, ${rowCount} rows`, () => {
  explainer.explainBatch(columns, rowCount, out);
});
let explanations = explainScreeningBatch(explainer, model, raw, rowCount, reference);
measure(`TreeSHAP + fold onto the 8 inputs, ${rowCount} rows`, () => {
  explanations = explainScreeningBatch(explainer, model, raw, rowCount, reference);
});
measure(`top-3 reason phrases, ${rowCount} rows`, () => {
  for (let r = 0; r < rowCount; r++) topReasons(reasonsForRow(explanations, raw, r));
});

// For scale: the reference Algorithm 2 on 200 rows, extrapolated.
const sample = 200;
const r0 = performance.now();
for (let r = 0; r < sample; r++)
  treeShapReference(
    ensemble,
    columns.map((c) => c[r]),
  );
const perRow = (performance.now() - r0) / sample;
console.log(
  `reference Algorithm 2 (for scale): ${perRow.toFixed(2)} ms/row, ~${ms(perRow * rowCount)} for ${rowCount} rows`,
);
