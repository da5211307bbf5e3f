/**
 * Cost of explanations for a 10,000-row screening batch (target: under 1 s).
 * Uses models/production/trees.json when it exists, else a seeded ensemble of 300 trees x 31 leaves grown on the
 * Pima file. Rows are the Pima model matrix repeated to 10,000 rows. Prints the median of several runs for:
 * TreeSHAP into a caller buffer, fold-back to the 8 inputs, and reason phrases (top 3 per patient).
 *   npx tsx scripts/bench-explain.ts [runs=7]
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadPimaColumns } from '../core/explain/fixtures/pima-matrix';
import { syntheticEnsemble } from '../core/explain/fixtures/synthetic-ensemble';
import { columnsInOrder, prepareTreeShap } from '../core/explain/tree-shap';
import { treeShapReference } from '../core/explain/tree-shap-reference';
import type { TreeEnsemble } from '../core/model/tree';
import { MODEL_FEATURES } from '../core/schema/columns';

const runs = Number(process.argv[2] ?? 7);
const rowCount = 10_000;
const treesPath = 'models/production/trees.json';

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

const columns = pimaColumns.map((column) =>
  Float64Array.from({ length: rowCount }, (_, r) => column[r % pima.rowCount]),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

let t0 = performance.now();
const explainer = prepareTreeShap(ensemble);
console.log(
  `prepare (validate + tables): ${fmt(performance.now() - t0)}, reference-algorithm trees: ${explainer.referenceTreeCount}`,
);

const out = new Float64Array(rowCount * explainer.width);
const shapTimes: number[] = [];
for (let run = 0; run < runs; run++) {
  t0 = performance.now();
  explainer.explainBatch(columns, rowCount, out);
  shapTimes.push(performance.now() - t0);
}
console.log(
  `TreeSHAP ${rowCount} rows: median ${fmt(median(shapTimes))} of ${runs} runs [${shapTimes.map(fmt).join(', ')}]`,
);

// For scale: the reference Algorithm 2 on 200 rows, extrapolated.
const sample = 200;
t0 = performance.now();
for (let r = 0; r < sample; r++)
  treeShapReference(
    ensemble,
    columns.map((c) => c[r]),
  );
const perRow = (performance.now() - t0) / sample;
console.log(`reference Algorithm 2: ${perRow.toFixed(3)} ms/row, ~${fmt(perRow * rowCount)} for ${rowCount} rows`);
