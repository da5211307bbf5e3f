/**
 * Path-dependent TreeSHAP, the reference formulation (Lundberg, Erion & Lee 2018, "Consistent individualized
 * feature attribution for tree ensembles", Algorithm 2), as LightGBM's `pred_contrib` runs it: the cover of a
 * node is its training row count, and the expected value of a tree is the count-weighted mean of its leaves.
 *
 * Explanations are on the RAW log-odds margin (before Platt calibration), so that for every row
 *   expectedValue + sum(contributions) == predictMargin(ensemble, row)
 * exactly up to float rounding. `tree-shap.ts` holds the fast batch version used in production; this file is
 * the readable one it is tested against (and the fallback for trees too deep for the fast tables).
 *
 * The value function being explained, for a feature subset S:
 *   v(S) = walk the tree; at a split on a feature in S follow the row (NaN follows defaultLeft), at a split on a
 *          feature outside S take the cover-weighted mean of both children (count(child) / count(node)).
 * The brute-force check in the tests enumerates every subset with exactly this v.
 */
import type { Tree, TreeEnsemble } from '../model/tree';

/** A tree ensemble that TreeSHAP cannot explain faithfully (the message names the tree and node). */
export class ShapModelError extends Error {
  override name = 'ShapModelError';
}

/** Cover of a node in LightGBM's child encoding (>= 0 internal node, < 0 leaf ~child). */
export function nodeCount(tree: Tree, child: number): number {
  return child >= 0 ? tree.internalCount[child] : tree.leafCount[~child];
}

/**
 * Checks what additivity depends on: a well-formed binary tree over the ensemble's features, every node with a
 * positive count, and every internal node's count equal to the sum of its children's (so the cover-weighted
 * recursion and the leaf-count expected value agree). Throws ShapModelError naming the first problem.
 */
export function validateShapEnsemble(ensemble: TreeEnsemble): void {
  const m = ensemble.featureNames.length;
  if (!Number.isFinite(ensemble.baseScore)) throw new ShapModelError('baseScore is not a finite number');
  ensemble.trees.forEach((tree, t) => {
    validateTree(tree, t, m);
  });
}

function validateTree(tree: Tree, t: number, featureCount: number): void {
  const where = (what: string) => `tree ${t}: ${what}`;
  const n = tree.numLeaves;
  if (!Number.isInteger(n) || n < 1) throw new ShapModelError(where(`numLeaves ${n} is not a positive integer`));
  if (tree.leafValue.length < n || tree.leafCount.length < n) {
    throw new ShapModelError(where(`expected ${n} leaf values and counts`));
  }
  for (let l = 0; l < n; l++) {
    if (!Number.isFinite(tree.leafValue[l])) throw new ShapModelError(where(`leaf ${l} value is not finite`));
  }
  if (n === 1) return;
  for (let l = 0; l < n; l++) {
    if (!(tree.leafCount[l] > 0)) throw new ShapModelError(where(`leaf ${l} has count ${tree.leafCount[l]}`));
  }
  const internal = n - 1;
  const arrays = [tree.splitFeature, tree.threshold, tree.defaultLeft, tree.leftChild, tree.rightChild];
  if (arrays.some((a) => a.length < internal) || tree.internalCount.length < internal) {
    throw new ShapModelError(where(`expected ${internal} entries in every internal-node array`));
  }
  // Every node except the root must be some node's child exactly once, or the walk is not a tree.
  const seenInternal = new Uint8Array(internal);
  const seenLeaf = new Uint8Array(n);
  for (let node = 0; node < internal; node++) {
    const f = tree.splitFeature[node];
    if (!Number.isInteger(f) || f < 0 || f >= featureCount) {
      throw new ShapModelError(where(`node ${node} splits on feature index ${f}, outside 0..${featureCount - 1}`));
    }
    if (Number.isNaN(tree.threshold[node])) throw new ShapModelError(where(`node ${node} has a NaN threshold`));
    const count = tree.internalCount[node];
    if (!(count > 0)) throw new ShapModelError(where(`node ${node} has count ${count}`));
    for (const child of [tree.leftChild[node], tree.rightChild[node]]) {
      if (!Number.isInteger(child) || child >= internal || ~child >= n || child === 0) {
        throw new ShapModelError(where(`node ${node} has an invalid child ${child}`));
      }
      const seen = child >= 0 ? seenInternal : seenLeaf;
      const index = child >= 0 ? child : ~child;
      if (seen[index]) throw new ShapModelError(where(`node ${node} reuses child ${child}`));
      seen[index] = 1;
    }
    const sum = nodeCount(tree, tree.leftChild[node]) + nodeCount(tree, tree.rightChild[node]);
    if (Math.abs(sum - count) > 1e-9 * count) {
      throw new ShapModelError(where(`node ${node} count ${count} differs from its children's sum ${sum}`));
    }
  }
  // Each node has at most one parent and the root none, so a walk from the root terminates; it must see every leaf.
  let reached = 0;
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    for (const child of [tree.leftChild[node], tree.rightChild[node]]) {
      if (child >= 0) stack.push(child);
      else reached++;
    }
  }
  if (reached !== n) throw new ShapModelError(where(`${n - reached} of ${n} leaves are unreachable from the root`));
}

/** E[f] of one tree under its own training distribution: the count-weighted mean leaf value. */
function treeExpectedValue(tree: Tree): number {
  if (tree.numLeaves <= 1) return tree.leafValue[0];
  const total = tree.internalCount[0];
  let e = 0;
  for (let l = 0; l < tree.numLeaves; l++) e += (tree.leafCount[l] / total) * tree.leafValue[l];
  return e;
}

/** baseScore + sum of the trees' expected values: the explanation's starting point (raw log-odds). */
export function ensembleExpectedValue(ensemble: TreeEnsemble): number {
  let e = ensemble.baseScore;
  for (const tree of ensemble.trees) e += treeExpectedValue(tree);
  return e;
}

/**
 * The path of unique features being followed (Algorithm 2's `m`): for each element the feature, the fraction of
 * zero paths (cover share when the feature is unknown) and of one paths (1 if the row follows, 0 if not), and the
 * permutation weight. Stored as parallel arrays, one block of `capacity` per recursion level.
 */
export class PathStore {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  constructor(readonly capacity: number) {
    const size = capacity * (capacity + 1);
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

/** Appends a feature to the path at [base, base+depth] and updates the permutation weights. */
function extendPath(p: PathStore, base: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[base + depth] = feature;
  p.zero[base + depth] = zero;
  p.one[base + depth] = one;
  p.weight[base + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[base + i + 1] += (one * p.weight[base + i] * (i + 1)) / (depth + 1);
    p.weight[base + i] = (zero * p.weight[base + i] * (depth - i)) / (depth + 1);
  }
}

/** Removes element `index` from the path (inverse of extendPath), used when a feature reappears on the path. */
function unwindPath(p: PathStore, base: number, depth: number, index: number): void {
  const one = p.one[base + index];
  const zero = p.zero[base + index];
  let next = p.weight[base + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const previous = p.weight[base + i];
      p.weight[base + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = previous - (p.weight[base + i] * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[base + i] = (p.weight[base + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[base + i] = p.feature[base + i + 1];
    p.zero[base + i] = p.zero[base + i + 1];
    p.one[base + i] = p.one[base + i + 1];
  }
}

/** Total permutation weight the path would have with element `index` unwound, without modifying it. */
function unwoundPathSum(p: PathStore, base: number, depth: number, index: number): number {
  const one = p.one[base + index];
  const zero = p.zero[base + index];
  let next = p.weight[base + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const t = (next * (depth + 1)) / ((i + 1) * one);
      total += t;
      next = p.weight[base + i] - t * zero * ((depth - i) / (depth + 1));
    } else {
      total += p.weight[base + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function goesLeft(tree: Tree, node: number, row: ArrayLike<number>): boolean {
  const x = row[tree.splitFeature[node]];
  return Number.isNaN(x) ? tree.defaultLeft[node] : x <= tree.threshold[node];
}

function recurse(
  tree: Tree,
  row: ArrayLike<number>,
  phi: Float64Array,
  p: PathStore,
  node: number,
  parentBase: number,
  depthIn: number,
  zeroIn: number,
  oneIn: number,
  featureIn: number,
): void {
  // Each level works on its own copy of the path, so siblings do not see each other's extensions.
  let depth = depthIn;
  const base = parentBase + p.capacity;
  if (depth > 0) {
    p.feature.copyWithin(base, parentBase, parentBase + depth);
    p.zero.copyWithin(base, parentBase, parentBase + depth);
    p.one.copyWithin(base, parentBase, parentBase + depth);
    p.weight.copyWithin(base, parentBase, parentBase + depth);
  }
  extendPath(p, base, depth, zeroIn, oneIn, featureIn);

  if (node < 0) {
    const value = tree.leafValue[~node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(p, base, depth, i);
      phi[p.feature[base + i]] += w * (p.one[base + i] - p.zero[base + i]) * value;
    }
    return;
  }

  const hot = goesLeft(tree, node, row) ? tree.leftChild[node] : tree.rightChild[node];
  const cold = hot === tree.leftChild[node] ? tree.rightChild[node] : tree.leftChild[node];
  const count = tree.internalCount[node];
  const feature = tree.splitFeature[node];
  let zero = 1;
  let one = 1;
  // A feature already on the path is taken off and re-added with the combined fractions of both splits.
  let k = 1;
  while (k <= depth && p.feature[base + k] !== feature) k++;
  if (k <= depth) {
    zero = p.zero[base + k];
    one = p.one[base + k];
    unwindPath(p, base, depth, k);
    depth -= 1;
  }
  recurse(tree, row, phi, p, hot, base, depth + 1, (nodeCount(tree, hot) / count) * zero, one, feature);
  recurse(tree, row, phi, p, cold, base, depth + 1, (nodeCount(tree, cold) / count) * zero, 0, feature);
}

function maxDepth(tree: Tree): number {
  let best = 0;
  const walk = (node: number, depth: number): void => {
    if (node < 0) {
      best = Math.max(best, depth);
      return;
    }
    walk(tree.leftChild[node], depth + 1);
    walk(tree.rightChild[node], depth + 1);
  };
  if (tree.numLeaves > 1) walk(0, 0);
  return best;
}

/** Scratch for treeShapTreeReference on this tree; reusable across rows (not across concurrent calls). */
export function pathStoreFor(tree: Tree): PathStore {
  // Path length is at most depth + 1 (the root's dummy element); one block per recursion level plus the caller's.
  return new PathStore(maxDepth(tree) + 2);
}

/** Adds one tree's contributions for `row` into phi[0..M-1] (the expected value is not added). */
export function treeShapTreeReference(
  tree: Tree,
  row: ArrayLike<number>,
  phi: Float64Array,
  store: PathStore = pathStoreFor(tree),
): void {
  if (tree.numLeaves <= 1) return;
  recurse(tree, row, phi, store, 0, 0, 0, 1, 1, -1);
}

/**
 * SHAP values of one row (feature values in ensemble.featureNames order): out[0..M-1] are the contributions,
 * out[M] the expected value. Allocates per call: for tests, audits and single patients, not for batches.
 */
export function treeShapReference(
  ensemble: TreeEnsemble,
  row: ArrayLike<number>,
  out = new Float64Array(ensemble.featureNames.length + 1),
): Float64Array {
  const m = ensemble.featureNames.length;
  out.fill(0, 0, m + 1);
  for (const tree of ensemble.trees) treeShapTreeReference(tree, row, out);
  out[m] = ensembleExpectedValue(ensemble);
  return out;
}
