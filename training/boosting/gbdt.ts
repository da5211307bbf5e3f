import type { Tree, TreeEnsemble } from '../../core/model/tree';
import { Random } from '../../core/util/seeded-random';
import { resolveConfig, type TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import {
  createBinaryLogloss,
  loglossOfMargins,
  softTargetGradients,
  softTargetInitScore,
  softTargetLoss,
} from '../objective/binary-logloss';
import { type LearnedTree, SerialTreeLearner } from '../treelearner/serial-tree-learner';
import { EarlyStopping } from './early-stopping';

interface TrainOptions {
  /** Validation data binned with the training mappers: early stopping and per-iteration scores. */
  valid?: BinnedDataset;
  /** Called after every iteration with the validation margins (raw log-odds) so far. */
  onIteration?: (iteration: number, validScores: Float64Array | null) => void;
  /** Compute the training loss after every tree (default true; tuning skips it for speed). */
  recordTrainLoss?: boolean;
  /**
   * Soft targets in [0, 1], one per training row, instead of the 0/1 labels (distillation from a teacher's
   * probabilities). Requires scalePosWeight 1: the teacher's class weighting is already in its probabilities.
   */
  targets?: Float64Array;
}

interface TrainResult {
  ensemble: TreeEnsemble;
  /** Trees in bin space (internal use: fast scoring of binned data). */
  learnedTrees: LearnedTree[];
  /** Weighted training log-loss after each iteration (the objective being minimised). */
  trainLoss: number[];
  /** Unweighted validation log-loss after each iteration, when validation data was given. */
  validLoss: number[];
  /** Number of trees kept (the best iteration + 1 with early stopping). */
  numTrees: number;
  /** Why boosting ended. */
  stopReason: 'iterations' | 'early-stopping' | 'no-split';
}

/** Leaf of a binned row; NaN bins follow the learned default side. */
function binnedLeaf(tree: LearnedTree, data: BinnedDataset, row: number): number {
  if (tree.numLeaves <= 1) return 0;
  let node = 0;
  while (node >= 0) {
    const f = tree.splitFeature[node];
    const b = data.bins[f][row];
    const goLeft = b === data.mappers[f].nanBin ? tree.defaultLeft[node] : b <= tree.thresholdBin[node];
    node = goLeft ? tree.leftChild[node] : tree.rightChild[node];
  }
  return ~node;
}

function addTreeScores(tree: LearnedTree, data: BinnedDataset, scores: Float64Array): void {
  for (let r = 0; r < data.numRows; r++) scores[r] += tree.leafValue[binnedLeaf(tree, data, r)];
}

/** Converts a bin-space tree to the model format with float32 thresholds (values already shrunk). */
function toModelTree(tree: LearnedTree, data: BinnedDataset): Tree {
  const threshold: number[] = [];
  const defaultLeft: boolean[] = [];
  for (let n = 0; n < tree.splitFeature.length; n++) {
    const mapper = data.mappers[tree.splitFeature[n]];
    const t = mapper.upperBounds[tree.thresholdBin[n]];
    threshold.push(t);
    // Without a NaN bin, LightGBM scores NaN as zero: send it where zero goes.
    defaultLeft.push(mapper.nanBin >= 0 ? tree.defaultLeft[n] : 0 <= t);
  }
  return {
    numLeaves: tree.numLeaves,
    splitFeature: tree.splitFeature.slice(),
    threshold,
    defaultLeft,
    leftChild: tree.leftChild.slice(),
    rightChild: tree.rightChild.slice(),
    splitGain: tree.splitGain.slice(),
    internalCount: tree.internalCount.slice(),
    internalHessian: tree.internalHessian.slice(),
    internalValue: tree.internalValue.slice(),
    leafValue: tree.leafValue.slice(),
    leafCount: tree.leafCount.slice(),
    leafHessian: tree.leafHessian.slice(),
  };
}

function shrink(tree: LearnedTree, rate: number): void {
  for (let i = 0; i < tree.leafValue.length; i++) tree.leafValue[i] *= rate;
  for (let i = 0; i < tree.internalValue.length; i++) tree.internalValue[i] *= rate;
}

/** LightGBM's GBDT with the binary objective: one tree per iteration, optional bagging and early stopping. */
export function trainGbdt(
  train: BinnedDataset,
  configIn: Partial<TrainConfig>,
  options: TrainOptions = {},
): TrainResult {
  const config = resolveConfig(configIn);
  const n = train.numRows;
  const objective = createBinaryLogloss(config.scalePosWeight);
  const targets = options.targets ?? null;
  if (targets) {
    if (targets.length !== n) throw new Error(`trainGbdt: ${targets.length} soft targets for ${n} rows`);
    if (config.scalePosWeight !== 1) throw new Error('trainGbdt: soft targets need scalePosWeight 1');
    for (let i = 0; i < n; i++) {
      if (!(targets[i] >= 0 && targets[i] <= 1)) throw new Error(`trainGbdt: soft target ${i} is not in [0, 1]`);
    }
  }
  const baseScore = config.boostFromAverage
    ? targets
      ? softTargetInitScore(targets)
      : objective.initScore(train.labels)
    : 0;
  const scores = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const learner = new SerialTreeLearner(train, config);
  // Separate streams as LightGBM's bagging_seed / feature_fraction_seed, both derived from seed.
  const bagRandom = new Random(config.seed * 2 + 1);
  const featureRandom = new Random(config.seed * 2 + 2);

  const usable: number[] = [];
  for (let f = 0; f < train.mappers.length; f++) if (!train.mappers[f].trivial) usable.push(f);
  const featureCount = Math.max(1, Math.min(usable.length, Math.trunc(usable.length * config.featureFraction + 0.5)));

  let bag: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) bag[i] = i;
  const useBagging = config.baggingFreq > 0 && config.baggingFraction < 1;
  const inBag = new Uint8Array(n);
  const bagSize = Math.max(1, Math.trunc(n * config.baggingFraction));

  const valid = options.valid ?? null;
  const validScores = valid ? new Float64Array(valid.numRows).fill(baseScore) : null;
  const stopper = new EarlyStopping(config.earlyStoppingRounds);
  const learnedTrees: LearnedTree[] = [];
  const trainLoss: number[] = [];
  const validLoss: number[] = [];
  let stopReason: TrainResult['stopReason'] = 'iterations';

  for (let iter = 0; iter < config.numIterations; iter++) {
    if (targets) softTargetGradients(scores, targets, grad, hess);
    else objective.gradients(scores, train.labels, grad, hess);
    if (useBagging && iter % config.baggingFreq === 0) bag = bagRandom.sample(n, bagSize);
    let features: Int32Array;
    if (featureCount >= usable.length) features = Int32Array.from(usable);
    else {
      const picked = featureRandom.sample(usable.length, featureCount);
      features = Int32Array.from(picked, (k) => usable[k]);
    }
    const tree = learner.train(grad, hess, bag, features);
    if (tree.numLeaves <= 1) {
      stopReason = 'no-split';
      break;
    }
    shrink(tree, config.learningRate);
    learnedTrees.push(tree);
    // Bagged rows take their leaf from the learner's partition; only out-of-bag rows are traversed.
    const { rowsByLeaf, begin, count } = learner.leafRows();
    for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
      const value = tree.leafValue[leaf];
      for (let i = begin[leaf], end = begin[leaf] + count[leaf]; i < end; i++) scores[rowsByLeaf[i]] += value;
    }
    if (bag.length < n) {
      inBag.fill(0);
      for (let i = 0; i < bag.length; i++) inBag[bag[i]] = 1;
      for (let r = 0; r < n; r++) if (!inBag[r]) scores[r] += tree.leafValue[binnedLeaf(tree, train, r)];
    }
    if (options.recordTrainLoss !== false) {
      trainLoss.push(targets ? softTargetLoss(scores, targets) : objective.loss(scores, train.labels));
    }
    if (valid && validScores) {
      addTreeScores(tree, valid, validScores);
      const loss = loglossOfMargins(validScores, valid.labels);
      validLoss.push(loss);
      options.onIteration?.(iter, validScores);
      if (stopper.update(iter, loss)) {
        stopReason = 'early-stopping';
        break;
      }
    } else options.onIteration?.(iter, null);
  }

  let numTrees = learnedTrees.length;
  if (valid && config.earlyStoppingRounds > 0 && stopper.bestIteration >= 0) numTrees = stopper.bestIteration + 1;
  const kept = learnedTrees.slice(0, numTrees);
  return {
    ensemble: { featureNames: train.featureNames.slice(), baseScore, trees: kept.map((t) => toModelTree(t, train)) },
    learnedTrees: kept,
    trainLoss,
    validLoss,
    numTrees,
    stopReason,
  };
}

/** Raw margins of binned rows from bin-space trees (same decisions as the float32 thresholds). */
export function predictBinnedMargins(baseScore: number, trees: LearnedTree[], data: BinnedDataset): Float64Array {
  const out = new Float64Array(data.numRows).fill(baseScore);
  for (const tree of trees) addTreeScores(tree, data, out);
  return out;
}
