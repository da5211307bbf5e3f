import type { Tree } from '../../core/model/tree';
import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import {
  allocateHistogram,
  constructHistogram,
  type HistogramLayout,
  histogramLayout,
  subtractHistogram,
} from './histogram';
import { findBestThreshold, leafGain, leafOutput, noSplit, type SplitInfo } from './split-info';

/**
 * One tree in LightGBM's array layout (see core/model/tree.ts) with bin thresholds for fast scoring of
 * binned data. Values are NOT yet multiplied by the learning rate.
 */
export interface LearnedTree extends Omit<Tree, 'threshold'> {
  thresholdBin: number[];
}

/**
 * LightGBM's SerialTreeLearner: leaf-wise (best-first) growth bounded by num_leaves and max_depth,
 * histograms built for the smaller child only and the larger child's obtained by subtraction.
 * Buffers are allocated once per dataset and reused for every tree.
 */
export class SerialTreeLearner {
  private readonly layout: HistogramLayout;
  private readonly indices: Int32Array;
  private readonly scratch: Int32Array;
  private readonly gScratch: Float64Array;
  private readonly hScratch: Float64Array;
  private readonly histograms: Float64Array[] = [];

  constructor(
    private readonly dataset: BinnedDataset,
    private readonly config: TrainConfig,
  ) {
    this.layout = histogramLayout(dataset);
    this.indices = new Int32Array(dataset.numRows);
    this.scratch = new Int32Array(dataset.numRows);
    this.gScratch = new Float64Array(dataset.numRows);
    this.hScratch = new Float64Array(dataset.numRows);
  }

  private histogram(slot: number): Float64Array {
    while (this.histograms.length <= slot) this.histograms.push(allocateHistogram(this.layout));
    return this.histograms[slot];
  }

  /**
   * Grows one tree on the rows in `bag` (ascending row indices) using the features in `features`.
   * `leafOfRow` (length numRows) receives the leaf of every bagged row.
   */
  train(grad: Float64Array, hess: Float64Array, bag: Int32Array, features: Int32Array): LearnedTree {
    const { config, dataset, layout } = this;
    const { lambdaL1: l1, lambdaL2: l2 } = config;
    const maxLeaves = config.numLeaves;
    const indices = this.indices;
    indices.set(bag);

    const leafBegin = new Int32Array(maxLeaves);
    const leafCnt = new Int32Array(maxLeaves);
    const leafG = new Float64Array(maxLeaves);
    const leafH = new Float64Array(maxLeaves);
    const leafDepth = new Int32Array(maxLeaves);
    const leafParent = new Int32Array(maxLeaves).fill(-1);
    // Histogram slot per leaf: slots are swapped, never copied.
    const leafSlot = new Int32Array(maxLeaves);
    const best: SplitInfo[] = [];

    const tree: LearnedTree = {
      numLeaves: 1,
      splitFeature: [],
      thresholdBin: [],
      defaultLeft: [],
      leftChild: [],
      rightChild: [],
      splitGain: [],
      internalCount: [],
      internalHessian: [],
      internalValue: [],
      leafValue: [0],
      leafCount: [bag.length],
      leafHessian: [0],
    };

    let g0 = 0;
    let h0 = 0;
    for (let i = 0; i < bag.length; i++) {
      g0 += grad[bag[i]];
      h0 += hess[bag[i]];
    }
    leafBegin[0] = 0;
    leafCnt[0] = bag.length;
    leafG[0] = g0;
    leafH[0] = h0;
    leafSlot[0] = 0;
    tree.leafValue[0] = leafOutput(g0, h0, l1, l2);
    tree.leafHessian[0] = h0;
    constructHistogram(
      dataset,
      layout,
      features,
      indices,
      0,
      bag.length,
      grad,
      hess,
      this.histogram(0),
      this.gScratch,
      this.hScratch,
    );
    best[0] = this.findBestSplit(0, leafG[0], leafH[0], leafCnt[0], leafDepth[0], features);

    while (tree.numLeaves < maxLeaves) {
      let bestLeaf = -1;
      let bestGain = 0;
      for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
        if (best[leaf].gain > bestGain) {
          bestGain = best[leaf].gain;
          bestLeaf = leaf;
        }
      }
      if (bestLeaf < 0) break;
      const split = best[bestLeaf];
      const left = bestLeaf;
      const right = tree.numLeaves;
      const node = tree.numLeaves - 1;

      // Partition the leaf's rows stably: left rows first.
      const begin = leafBegin[left];
      const cnt = leafCnt[left];
      const column = dataset.bins[split.feature];
      const nanBin = dataset.mappers[split.feature].nanBin;
      const t = split.thresholdBin;
      let nLeft = 0;
      let nRight = 0;
      for (let i = 0; i < cnt; i++) {
        const r = indices[begin + i];
        const b = column[r];
        const goLeft = b === nanBin ? split.defaultLeft : b <= t;
        if (goLeft) indices[begin + nLeft++] = r;
        else this.scratch[nRight++] = r;
      }
      indices.set(this.scratch.subarray(0, nRight), begin + nLeft);

      // Tree::Split: the new internal node replaces leaf `left` in its parent.
      const parent = leafParent[left];
      if (parent >= 0) {
        if (tree.leftChild[parent] === ~left) tree.leftChild[parent] = node;
        else tree.rightChild[parent] = node;
      }
      tree.splitFeature.push(split.feature);
      tree.thresholdBin.push(t);
      tree.defaultLeft.push(split.defaultLeft);
      tree.leftChild.push(~left);
      tree.rightChild.push(~right);
      tree.splitGain.push(split.gain);
      tree.internalCount.push(cnt);
      tree.internalHessian.push(leafH[left]);
      tree.internalValue.push(tree.leafValue[left]);
      leafParent[left] = node;
      leafParent[right] = node;
      const depth = leafDepth[left] + 1;
      leafDepth[left] = depth;
      leafDepth[right] = depth;
      leafBegin[right] = begin + nLeft;
      leafCnt[left] = nLeft;
      leafCnt[right] = nRight;
      leafG[left] = split.leftG;
      leafH[left] = split.leftH;
      leafG[right] = split.rightG;
      leafH[right] = split.rightH;
      tree.leafValue[left] = leafOutput(split.leftG, split.leftH, l1, l2);
      tree.leafValue.push(leafOutput(split.rightG, split.rightH, l1, l2));
      tree.leafCount[left] = nLeft;
      tree.leafCount.push(nRight);
      tree.leafHessian[left] = split.leftH;
      tree.leafHessian.push(split.rightH);
      tree.numLeaves++;

      // Only leaves that may still split need a histogram (and a best split).
      const room = tree.numLeaves < maxLeaves && (config.maxDepth <= 0 || depth < config.maxDepth);
      const needLeft = room && this.splittable(nLeft, split.leftH);
      const needRight = room && this.splittable(nRight, split.rightH);
      best[left] = noSplit();
      best[right] = noSplit();
      if (!needLeft && !needRight) continue;
      const parentSlot = leafSlot[left];
      const freshSlot = right;
      const smaller = nLeft <= nRight ? left : right;
      const larger = smaller === left ? right : left;
      const needLarger = larger === left ? needLeft : needRight;
      const featureBins = this.usedBins(features);
      if (needLarger && leafCnt[larger] * features.length > leafCnt[smaller] * features.length + featureBins) {
        // The subtraction trick: build the smaller child, larger = parent - smaller in the parent's slot.
        this.build(features, leafBegin[smaller], leafCnt[smaller], grad, hess, freshSlot);
        subtractHistogram(dataset, layout, features, this.histogram(parentSlot), this.histogram(freshSlot));
        leafSlot[smaller] = freshSlot;
        leafSlot[larger] = parentSlot;
      } else {
        // Small parent or only one child needed: building directly is cheaper than subtracting.
        if (needLeft) this.build(features, leafBegin[left], leafCnt[left], grad, hess, parentSlot);
        if (needRight) this.build(features, leafBegin[right], leafCnt[right], grad, hess, freshSlot);
        leafSlot[left] = parentSlot;
        leafSlot[right] = freshSlot;
      }
      if (needLeft) best[left] = this.findBestSplit(leafSlot[left], leafG[left], leafH[left], nLeft, depth, features);
      if (needRight)
        best[right] = this.findBestSplit(leafSlot[right], leafG[right], leafH[right], nRight, depth, features);
    }
    this.lastLeafBegin = leafBegin;
    this.lastLeafCount = leafCnt;
    return tree;
  }

  /** Row ranges of the last tree's leaves in `rowsByLeaf` (the bagged rows, partitioned). */
  private lastLeafBegin = new Int32Array(0);
  private lastLeafCount = new Int32Array(0);

  /** Bagged rows grouped by leaf after the last train(): rows of leaf k are rowsByLeaf[begin[k] .. begin[k]+count[k]). */
  leafRows(): { rowsByLeaf: Int32Array; begin: Int32Array; count: Int32Array } {
    return { rowsByLeaf: this.indices, begin: this.lastLeafBegin, count: this.lastLeafCount };
  }

  private splittable(count: number, hessian: number): boolean {
    return count >= 2 * this.config.minDataInLeaf && hessian >= 2 * this.config.minSumHessianInLeaf;
  }

  private usedBins(features: Int32Array): number {
    let total = 0;
    for (let k = 0; k < features.length; k++) total += this.dataset.mappers[features[k]].numBins * 3;
    return total;
  }

  private build(
    features: Int32Array,
    begin: number,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    slot: number,
  ) {
    constructHistogram(
      this.dataset,
      this.layout,
      features,
      this.indices,
      begin,
      count,
      grad,
      hess,
      this.histogram(slot),
      this.gScratch,
      this.hScratch,
    );
  }

  private findBestSplit(
    slot: number,
    sumG: number,
    sumH: number,
    count: number,
    depth: number,
    features: Int32Array,
  ): SplitInfo {
    const best = noSplit();
    const { config } = this;
    if (config.maxDepth > 0 && depth >= config.maxDepth) return best;
    if (count < 2 * config.minDataInLeaf || sumH < 2 * config.minSumHessianInLeaf) return best;
    const minGainShift = leafGain(sumG, sumH, config.lambdaL1, config.lambdaL2) + config.minGainToSplit;
    const hist = this.histogram(slot);
    for (let k = 0; k < features.length; k++) {
      findBestThreshold(this.dataset, this.layout, hist, features[k], sumG, sumH, count, config, minGainShift, best);
    }
    return best;
  }
}
