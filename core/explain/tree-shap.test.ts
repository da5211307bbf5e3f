import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { predictMargin, type Tree, type TreeEnsemble } from '../model/tree';
import { MODEL_FEATURES } from '../schema/columns';
import { bruteForceShapley } from '../testing/brute-force-shapley';
import { loadPimaColumns } from '../testing/pima';
import { emptyTree, syntheticEnsemble } from '../testing/synthetic-ensemble';
import { seededRandom } from '../util/seeded-random';
import { columnsInOrder, prepareTreeShap } from './tree-shap';
import { ensembleExpectedValue, ShapModelError, treeShapReference } from './tree-shap-reference';
import { MAX_TABLE_BITS } from './tree-units';

const pima = loadPimaColumns();
const features = [...MODEL_FEATURES];
const columns = columnsInOrder(pima.model, features);
const width = features.length + 1;

/** The model matrix with ~8% of the values set to NaN (seeded), so that default sides are exercised. */
function withMissing(seed: number): Float64Array[] {
  const random = seededRandom(seed);
  return columns.map((column) => Float64Array.from(column, (x) => (random() < 0.08 ? Number.NaN : x)));
}

function rowOf(cols: readonly ArrayLike<number>[], r: number): number[] {
  return cols.map((c) => c[r]);
}

function expectAdditive(ensemble: TreeEnsemble, cols: readonly ArrayLike<number>[], rowCount: number): number {
  const explainer = prepareTreeShap(ensemble);
  const out = explainer.explainBatch(cols, rowCount, new Float64Array(rowCount * width));
  let worst = 0;
  for (let r = 0; r < rowCount; r++) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += out[r * width + j];
    worst = Math.max(worst, Math.abs(sum - predictMargin(ensemble, rowOf(cols, r))));
  }
  expect(worst).toBeLessThan(1e-6);
  return worst;
}

/** Number of root-to-leaf paths that split on some feature more than once (the case where paths are unwound). */
function pathsWithRepeatedFeature(ensemble: TreeEnsemble): number {
  let count = 0;
  const walk = (tree: Tree, node: number, seen: number[]): void => {
    if (node < 0) {
      if (new Set(seen).size < seen.length) count++;
      return;
    }
    const next = [...seen, tree.splitFeature[node]];
    walk(tree, tree.leftChild[node], next);
    walk(tree, tree.rightChild[node], next);
  };
  for (const tree of ensemble.trees) if (tree.numLeaves > 1) walk(tree, 0, []);
  return count;
}

function featureList(m: number): string[] {
  return Array.from({ length: m }, (_, j) => `f${j}`);
}

/** A chain of `depth` splits on features 0..depth-1 (threshold 0.5): the last leaf's path has them all. */
function chainTree(depth: number, random: () => number): Tree {
  const tree: Tree = { ...emptyTree(), numLeaves: depth + 1 };
  let count = 2 ** (depth + 1);
  for (let n = 0; n < depth; n++) {
    tree.splitFeature.push(n);
    tree.threshold.push(0.5);
    tree.defaultLeft.push(n % 2 === 0);
    tree.leftChild.push(~n);
    tree.rightChild.push(n + 1 < depth ? n + 1 : ~depth);
    tree.splitGain.push(1);
    tree.internalCount.push(count);
    tree.internalHessian.push(count / 4);
    tree.internalValue.push(0);
    const leftCount = Math.max(1, Math.floor(count * (0.05 + 0.25 * random())));
    tree.leafCount.push(leftCount);
    count -= leftCount;
  }
  tree.leafCount.push(count);
  for (let l = 0; l <= depth; l++) {
    tree.leafValue.push(random() - 0.5);
    tree.leafHessian.push(1);
  }
  return tree;
}

const realistic = syntheticEnsemble(columns, pima.rowCount, features, { trees: 120, maxLeaves: 31, maxDepth: 8 }, 1);
const missing = withMissing(7);
const realisticMissing = syntheticEnsemble(
  missing,
  pima.rowCount,
  features,
  { trees: 80, maxLeaves: 31, maxDepth: 8 },
  2,
);

describe('additivity: expected value + contributions = raw margin', () => {
  test('for every Pima row on a realistic 120-tree ensemble (31 leaves, depth <= 8)', () => {
    expect(realistic.trees.every((t) => t.numLeaves > 16)).toBe(true);
    expect(pathsWithRepeatedFeature(realistic)).toBeGreaterThan(100);
    expectAdditive(realistic, columns, pima.rowCount);
  });

  test('for every Pima row with missing values routed by default sides', () => {
    expectAdditive(realisticMissing, missing, pima.rowCount);
  });

  test.skipIf(!existsSync('models/production/trees.json'))('for every Pima row on the production trees', () => {
    const ensemble = JSON.parse(readFileSync('models/production/trees.json', 'utf8')) as TreeEnsemble;
    expect(ensemble.featureNames).toEqual(features);
    expectAdditive(ensemble, columns, pima.rowCount);
  });
});

describe('exactness', () => {
  test('the batch explainer equals the reference Algorithm 2 on every other Pima row', () => {
    for (const [ensemble, cols] of [
      [realistic, columns],
      [realisticMissing, missing],
    ] as const) {
      const out = prepareTreeShap(ensemble).explainBatch(cols, pima.rowCount, new Float64Array(pima.rowCount * width));
      let worst = 0;
      for (let r = 0; r < pima.rowCount; r += 2) {
        const reference = treeShapReference(ensemble, rowOf(cols, r));
        for (let j = 0; j < width; j++) worst = Math.max(worst, Math.abs(reference[j] - out[r * width + j]));
      }
      expect(worst).toBeLessThan(1e-10);
    }
  });

  test('on small ensembles over 6 features both equal brute-force Shapley values over all 2^M subsets', () => {
    // Six of the features, so M = 6 for the brute force: a 6-feature ensemble with the same trees.
    const six = [0, 1, 5, 7, 8, 10];
    const sub = six.map((j) => missing[j]);
    const names = six.map((j) => features[j]);
    for (const seed of [11, 12, 13]) {
      const ensemble = syntheticEnsemble(sub, pima.rowCount, names, { trees: 4, maxLeaves: 12, maxDepth: 6 }, seed);
      const explainer = prepareTreeShap(ensemble);
      for (let r = 0; r < pima.rowCount; r += 37) {
        const row = rowOf(sub, r);
        const brute = bruteForceShapley(ensemble, row);
        const fast = explainer.explainRow(row);
        const reference = treeShapReference(ensemble, row);
        for (let j = 0; j <= names.length; j++) {
          expect(Math.abs(fast[j] - brute[j])).toBeLessThan(1e-9);
          expect(Math.abs(reference[j] - brute[j])).toBeLessThan(1e-9);
        }
      }
    }
  });

  test('on a 10-tree ensemble over all 11 model features both equal brute force (2^11 subsets)', () => {
    const ensemble = syntheticEnsemble(missing, pima.rowCount, features, { trees: 10, maxLeaves: 20, maxDepth: 8 }, 21);
    expect(pathsWithRepeatedFeature(ensemble)).toBeGreaterThan(10);
    const explainer = prepareTreeShap(ensemble);
    for (let r = 3; r < pima.rowCount; r += 97) {
      const row = rowOf(missing, r);
      const brute = bruteForceShapley(ensemble, row);
      const fast = explainer.explainRow(row);
      for (let j = 0; j < width; j++) expect(Math.abs(fast[j] - brute[j])).toBeLessThan(1e-9);
    }
  });

  test('the expected value is the count-weighted mean leaf value, i.e. v(empty set)', () => {
    const explainer = prepareTreeShap(realistic);
    let manual = realistic.baseScore;
    for (const tree of realistic.trees) {
      let weighted = 0;
      for (let l = 0; l < tree.numLeaves; l++) weighted += tree.leafCount[l] * tree.leafValue[l];
      manual += weighted / tree.internalCount[0];
    }
    expect(explainer.expectedValue).toBeCloseTo(manual, 12);
    expect(ensembleExpectedValue(realistic)).toBeCloseTo(manual, 12);
  });

  test('one split: the feature gets count(other side)/count(root) x (its leaf - the other leaf)', () => {
    const tree: Tree = {
      numLeaves: 2,
      splitFeature: [1],
      threshold: [120],
      defaultLeft: [true],
      leftChild: [-1],
      rightChild: [-2],
      splitGain: [1],
      internalCount: [100],
      internalHessian: [25],
      internalValue: [0],
      leafValue: [-0.4, 0.6],
      leafCount: [70, 30],
      leafHessian: [17.5, 7.5],
    };
    const ensemble: TreeEnsemble = { featureNames: features, baseScore: -1, trees: [tree] };
    const explainer = prepareTreeShap(ensemble);
    const high = explainer.explainRow([0, 150, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Right leaf: phi = 70/100 * (0.6 - (-0.4)) = 0.7; expected = -1 + 0.7*-0.4 + 0.3*0.6 = -1.1.
    expect(high[1]).toBeCloseTo(0.7, 14);
    expect(high[11]).toBeCloseTo(-1.1, 14);
    const missingGlucose = explainer.explainRow([0, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(missingGlucose[1]).toBeCloseTo(-0.3, 14); // NaN goes left: 30/100 * (-0.4 - 0.6)
    expect(Array.from(high).filter((v, j) => j !== 1 && j !== 11 && v !== 0)).toEqual([]);
  });

  test('a single-leaf tree only moves the expected value', () => {
    const stump: Tree = { ...realistic.trees[0], numLeaves: 1, leafValue: [0.25], leafCount: [768] };
    const ensemble: TreeEnsemble = { ...realistic, trees: [...realistic.trees.slice(0, 3), stump] };
    const withStump = prepareTreeShap(ensemble).explainRow(rowOf(columns, 0));
    const without = prepareTreeShap({ ...realistic, trees: realistic.trees.slice(0, 3) }).explainRow(rowOf(columns, 0));
    for (let j = 0; j < 11; j++) expect(withStump[j]).toBeCloseTo(without[j], 14);
    expect(withStump[11] - without[11]).toBeCloseTo(0.25, 14);
  });

  test(`trees with more than ${MAX_TABLE_BITS} distinct features on a path fall back to Algorithm 2, same values`, () => {
    // A chain of 14 splits on 14 different features: one leaf's path has 14 distinct features.
    const m = 16;
    const random = seededRandom(5);
    const ensemble: TreeEnsemble = { featureNames: featureList(m), baseScore: 0.1, trees: [chainTree(14, random)] };
    const explainer = prepareTreeShap(ensemble);
    expect(explainer.referenceTreeCount).toBe(1);
    expect(prepareTreeShap(realistic).referenceTreeCount).toBe(0);
    for (let trial = 0; trial < 20; trial++) {
      const row = Array.from({ length: m }, () => (random() < 0.1 ? Number.NaN : random()));
      const fast = explainer.explainRow(row);
      const reference = treeShapReference(ensemble, row);
      for (let j = 0; j <= m; j++) expect(Math.abs(fast[j] - reference[j])).toBeLessThan(1e-12);
      const sum = fast.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - predictMargin(ensemble, row))).toBeLessThan(1e-12);
    }
  });

  test('a path through all 11 features stays on the tables and equals brute force', () => {
    const random = seededRandom(6);
    const ensemble: TreeEnsemble = { featureNames: featureList(11), baseScore: 0, trees: [chainTree(11, random)] };
    const explainer = prepareTreeShap(ensemble);
    expect(explainer.referenceTreeCount).toBe(0);
    for (let trial = 0; trial < 20; trial++) {
      const row = Array.from({ length: 11 }, () => (random() < 0.1 ? Number.NaN : random()));
      const fast = explainer.explainRow(row);
      const brute = bruteForceShapley(ensemble, row);
      for (let j = 0; j <= 11; j++) expect(Math.abs(fast[j] - brute[j])).toBeLessThan(1e-9);
    }
  });

  test('large trees (127 and 200 leaves, depth 10: smaller table units) match the reference', () => {
    for (const maxLeaves of [127, 200]) {
      const options = { trees: 2, maxLeaves, maxDepth: 10, minLeafRows: 2 };
      const ensemble = syntheticEnsemble(missing, pima.rowCount, features, options, maxLeaves);
      const explainer = prepareTreeShap(ensemble);
      expect(explainer.referenceTreeCount).toBe(0);
      expect(explainer.tableEntries).toBeLessThanOrEqual(1024 * maxLeaves * 2);
      for (let r = 0; r < pima.rowCount; r += 11) {
        const row = rowOf(missing, r);
        const fast = explainer.explainRow(row);
        const reference = treeShapReference(ensemble, row);
        for (let j = 0; j < width; j++) expect(Math.abs(fast[j] - reference[j])).toBeLessThan(1e-10);
      }
    }
  });

  test('models with more than 12 features (wider lookup of failed features) match the reference', () => {
    const m = 16;
    const random = seededRandom(8);
    const rows = 400;
    const wide = Array.from({ length: m }, () =>
      Float64Array.from({ length: rows }, () => (random() < 0.05 ? Number.NaN : Math.round(random() * 100))),
    );
    const names = Array.from({ length: m }, (_, j) => `f${j}`);
    const ensemble = syntheticEnsemble(wide, rows, names, { trees: 20, maxLeaves: 24, maxDepth: 8 }, 17);
    const explainer = prepareTreeShap(ensemble);
    expect(explainer.referenceTreeCount).toBe(0);
    const out = explainer.explainBatch(wide, rows, new Float64Array(rows * (m + 1)));
    for (let r = 0; r < rows; r += 3) {
      const reference = treeShapReference(ensemble, rowOf(wide, r));
      for (let j = 0; j <= m; j++) expect(Math.abs(out[r * (m + 1) + j] - reference[j])).toBeLessThan(1e-10);
    }
  });
});

describe('model checks and input errors', () => {
  const small = syntheticEnsemble(columns, pima.rowCount, features, { trees: 2, maxLeaves: 6, maxDepth: 4 }, 3);

  test('counts that do not add up are refused with the tree and node named', () => {
    const broken = structuredClone(small);
    broken.trees[1].internalCount[0] += 5;
    expect(() => prepareTreeShap(broken)).toThrow(ShapModelError);
    expect(() => prepareTreeShap(broken)).toThrow(/^tree 1: node 0 count \d+ differs from its children's sum \d+$/);
  });

  test('a zero-count leaf and an out-of-range split feature are refused', () => {
    const zero = structuredClone(small);
    zero.trees[0].leafCount[2] = 0;
    expect(() => prepareTreeShap(zero)).toThrow('tree 0: leaf 2 has count 0');
    const feature = structuredClone(small);
    feature.trees[0].splitFeature[0] = 11;
    expect(() => prepareTreeShap(feature)).toThrow('tree 0: node 0 splits on feature index 11, outside 0..10');
  });

  test('a matrix without a model column, a wrong column count or a short output buffer are clear errors', () => {
    const { Glucose_BMI_Interaction: _, ...partial } = pima.model;
    expect(() => columnsInOrder(partial, features)).toThrow('the matrix has no column "Glucose_BMI_Interaction"');
    const explainer = prepareTreeShap(small);
    expect(() => explainer.explainBatch(columns.slice(1), 3, new Float64Array(36))).toThrow(
      'expected 11 feature columns in model order, got 10',
    );
    expect(() => explainer.explainBatch(columns, 3, new Float64Array(35))).toThrow(
      'output holds 35 values, need 3 x 12',
    );
  });
});
