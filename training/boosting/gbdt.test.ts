import { describe, expect, test } from 'vitest';
import { leafIndex, predictMargin } from '../../core/model/tree';
import { loadPimaMatrix } from '../../core/testing/training-matrix';
import { Random } from '../../core/util/seeded-random';
import { binMatrix, type FeatureMatrix, fitBinMappers, takeMatrixRows } from '../io/binned-dataset';
import { trainGbdt } from './gbdt';

function matrix(columns: number[][], labels: number[]): FeatureMatrix {
  return {
    numRows: labels.length,
    featureNames: columns.map((_, i) => `f${i}`),
    columns: columns.map((c) => Float64Array.from(c)),
    labels: Uint8Array.from(labels),
  };
}

function binned(m: FeatureMatrix) {
  return binMatrix(m, fitBinMappers(m, 255, 3));
}

function rowOf(m: FeatureMatrix, r: number): number[] {
  return m.columns.map((c) => c[r]);
}

describe('gbdt', () => {
  test('a stump splits the informative feature at the midpoint with leaf values -G/(H+lambda_l2) x learning rate', () => {
    // 40 rows: x = 1..10 four times, label = x > 5; noise column is uninformative by construction.
    const x: number[] = [];
    const noise: number[] = [];
    const y: number[] = [];
    for (let rep = 0; rep < 4; rep++) {
      for (let v = 1; v <= 10; v++) {
        x.push(v);
        noise.push(rep);
        y.push(v > 5 ? 1 : 0);
      }
    }
    const m = matrix([noise, x], y);
    const lambdaL2 = 2;
    const { ensemble } = trainGbdt(binned(m), {
      numIterations: 1,
      numLeaves: 2,
      minDataInLeaf: 5,
      learningRate: 0.1,
      lambdaL2,
    });
    const tree = ensemble.trees[0];
    expect(ensemble.baseScore).toBe(0); // 20 of 40 positive: log(0.5 / 0.5)
    expect(tree.splitFeature).toEqual([1]);
    expect(tree.threshold).toEqual([5.5]);
    // p = 0.5 everywhere: left has 20 negatives with g = 0.5, h = 0.25.
    expect(tree.leafValue[0]).toBeCloseTo((0.1 * -(20 * 0.5)) / (20 * 0.25 + lambdaL2), 12);
    expect(tree.leafValue[1]).toBeCloseTo((0.1 * (20 * 0.5)) / (20 * 0.25 + lambdaL2), 12);
    expect(tree.leafCount).toEqual([20, 20]);
    expect(tree.internalCount).toEqual([40]);
  });

  test('NaN rows follow a learned default side: the side whose labels they resemble', () => {
    // x in 1..10 with label x > 5; rows with x = NaN are all positive, so NaN must go right with the positives.
    const x: number[] = [];
    const y: number[] = [];
    for (let rep = 0; rep < 6; rep++) {
      for (let v = 1; v <= 10; v++) {
        x.push(v);
        y.push(v > 5 ? 1 : 0);
      }
      x.push(Number.NaN, Number.NaN);
      y.push(1, 1);
    }
    const m = matrix([x], y);
    const { ensemble } = trainGbdt(binned(m), { numIterations: 1, numLeaves: 2, minDataInLeaf: 5 });
    const tree = ensemble.trees[0];
    expect(tree.threshold).toEqual([5.5]);
    expect(tree.defaultLeft).toEqual([false]);
    expect(leafIndex(tree, [Number.NaN])).toBe(leafIndex(tree, [9]));
    // And the mirror case: NaN rows negative go left.
    const yMirror = x.map((v) => (Number.isNaN(v) ? 0 : v > 5 ? 1 : 0));
    const mirror = trainGbdt(binned(matrix([x], yMirror)), { numIterations: 1, numLeaves: 2, minDataInLeaf: 5 });
    expect(mirror.ensemble.trees[0].defaultLeft).toEqual([true]);
  });

  test('lambda_l1 soft-thresholds the gradient sum', () => {
    const x = Array.from({ length: 40 }, (_, i) => i % 10);
    const y = x.map((v) => (v >= 5 ? 1 : 0));
    const { ensemble } = trainGbdt(binned(matrix([x], y)), {
      numIterations: 1,
      numLeaves: 2,
      minDataInLeaf: 5,
      learningRate: 1,
      lambdaL1: 4,
    });
    // G_left = 20 * 0.5 = 10 -> T(G) = 6; H = 5.
    expect(ensemble.trees[0].leafValue[0]).toBeCloseTo(-6 / 5, 12);
  });

  test('training loss falls with every tree (Pima, with scale_pos_weight)', async () => {
    const m = await loadPimaMatrix();
    const result = trainGbdt(binned(m), { numIterations: 60, learningRate: 0.05, scalePosWeight: 3 });
    expect(result.trainLoss.length).toBe(60);
    for (let i = 1; i < result.trainLoss.length; i++) expect(result.trainLoss[i]).toBeLessThan(result.trainLoss[i - 1]);
  });

  test('soft targets equal to the 0/1 labels give the identical model to the labels themselves', async () => {
    const m = await loadPimaMatrix();
    const data = binned(m);
    const config = { numIterations: 20, baggingFraction: 0.8, baggingFreq: 1, seed: 3 };
    const hard = trainGbdt(data, config).ensemble;
    const soft = trainGbdt(data, config, { targets: Float64Array.from(m.labels) }).ensemble;
    expect(JSON.stringify(soft)).toBe(JSON.stringify(hard));
  });

  test('fractional soft targets: the loss falls with every tree and the mean prediction approaches the mean target', async () => {
    const m = await loadPimaMatrix();
    const data = binned(m);
    // Targets a teacher could give: a smooth function of glucose (column 1), strictly inside (0, 1).
    const targets = m.columns[1].map((g) => 1 / (1 + Math.exp(-(g - 120) / 20)));
    const result = trainGbdt(data, { numIterations: 40 }, { targets });
    for (let i = 1; i < result.trainLoss.length; i++) expect(result.trainLoss[i]).toBeLessThan(result.trainLoss[i - 1]);
    let predicted = 0;
    for (let r = 0; r < m.numRows; r++) {
      predicted += 1 / (1 + Math.exp(-predictMargin(result.ensemble, rowOf(m, r))));
    }
    expect(Math.abs(predicted / m.numRows - targets.reduce((a, b) => a + b, 0) / m.numRows)).toBeLessThan(0.01);
    expect(() => trainGbdt(data, { numIterations: 2, scalePosWeight: 3 }, { targets })).toThrow(/scalePosWeight 1/);
    expect(() => trainGbdt(data, { numIterations: 2 }, { targets: targets.map(() => 1.5) })).toThrow(/not in \[0, 1\]/);
  });

  test('a feature without signal is never split on when another feature determines the label', () => {
    const rnd = new Random(7);
    const n = 400;
    const signal = Array.from({ length: n }, () => Math.floor(rnd.next() * 100));
    const noise = Array.from({ length: n }, () => Math.round(rnd.next() * 1000) / 10);
    const y = signal.map((v) => (v > 40 ? 1 : 0));
    const { ensemble } = trainGbdt(binned(matrix([noise, signal], y)), {
      numIterations: 30,
      minDataInLeaf: 5,
      numLeaves: 8,
    });
    const used = new Set(ensemble.trees.flatMap((t) => t.splitFeature));
    expect(used).toEqual(new Set([1]));
  });

  test('the same seed gives the identical model; another seed a different one (bagging + feature fraction)', async () => {
    const m = await loadPimaMatrix();
    const data = binned(m);
    const config = { numIterations: 30, featureFraction: 0.7, baggingFraction: 0.8, baggingFreq: 1, seed: 11 };
    const a = trainGbdt(data, config).ensemble;
    const b = trainGbdt(data, config).ensemble;
    const c = trainGbdt(data, { ...config, seed: 12 }).ensemble;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  test('node counts and hessians are consistent: parent = sum of children, root = bagged rows', async () => {
    const m = await loadPimaMatrix();
    const { ensemble } = trainGbdt(binned(m), { numIterations: 5, baggingFraction: 0.5, baggingFreq: 1 });
    for (const tree of ensemble.trees) {
      expect(tree.internalCount[0]).toBe(Math.trunc(m.numRows * 0.5));
      const count = (child: number) => (child < 0 ? tree.leafCount[~child] : tree.internalCount[child]);
      const hessian = (child: number) => (child < 0 ? tree.leafHessian[~child] : tree.internalHessian[child]);
      for (let node = 0; node < tree.numLeaves - 1; node++) {
        expect(count(tree.leftChild[node]) + count(tree.rightChild[node])).toBe(tree.internalCount[node]);
        expect(hessian(tree.leftChild[node]) + hessian(tree.rightChild[node])).toBeCloseTo(
          tree.internalHessian[node],
          9,
        );
      }
    }
  });

  test('num_leaves and max_depth bound the trees', async () => {
    const m = await loadPimaMatrix();
    const { ensemble } = trainGbdt(binned(m), { numIterations: 10, numLeaves: 12, maxDepth: 3, minDataInLeaf: 5 });
    for (const tree of ensemble.trees) {
      expect(tree.numLeaves).toBeLessThanOrEqual(8);
      const depth = (node: number): number =>
        node < 0 ? 0 : 1 + Math.max(depth(tree.leftChild[node]), depth(tree.rightChild[node]));
      expect(depth(0)).toBeLessThanOrEqual(3);
    }
    const wide = trainGbdt(binned(m), { numIterations: 3, numLeaves: 12, minDataInLeaf: 5 }).ensemble;
    expect(Math.max(...wide.trees.map((t) => t.numLeaves))).toBe(12);
  });

  test('min_data_in_leaf holds in every leaf', async () => {
    const m = await loadPimaMatrix();
    const { ensemble } = trainGbdt(binned(m), { numIterations: 10, minDataInLeaf: 37 });
    for (const tree of ensemble.trees) expect(Math.min(...tree.leafCount)).toBeGreaterThanOrEqual(37);
  });

  test('the float thresholds route every training row like the bins did (float64 and float32 inputs)', async () => {
    const m = await loadPimaMatrix();
    const data = binned(m);
    const { ensemble, learnedTrees } = trainGbdt(data, { numIterations: 20 });
    for (let r = 0; r < m.numRows; r++) {
      const row = rowOf(m, r);
      const row32 = Float32Array.from(row);
      for (let t = 0; t < ensemble.trees.length; t++) {
        expect(leafIndex(ensemble.trees[t], row32)).toBe(leafIndex(ensemble.trees[t], row));
      }
      expect(predictMargin(ensemble, row32)).toBe(predictMargin(ensemble, row));
    }
    expect(learnedTrees.length).toBe(20);
  });

  test('early stopping keeps the iteration with the best validation log-loss', async () => {
    const m = await loadPimaMatrix();
    const trainRows = Array.from({ length: 500 }, (_, i) => i);
    const validRows = Array.from({ length: m.numRows - 500 }, (_, i) => 500 + i);
    const trainM = takeMatrixRows(m, trainRows);
    const mappers = fitBinMappers(trainM, 255, 3);
    const result = trainGbdt(
      binMatrix(trainM, mappers),
      { numIterations: 500, learningRate: 0.2, numLeaves: 31, minDataInLeaf: 5, earlyStoppingRounds: 10 },
      { valid: binMatrix(takeMatrixRows(m, validRows), mappers) },
    );
    expect(result.stopReason).toBe('early-stopping');
    const best = Math.min(...result.validLoss);
    expect(result.validLoss[result.numTrees - 1]).toBe(best);
    expect(result.validLoss.length).toBe(result.numTrees + 10);
    expect(result.ensemble.trees.length).toBe(result.numTrees);
  });
});
