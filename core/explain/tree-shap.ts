/**
 * Explanations for every patient of a batch: exact path-dependent TreeSHAP values (the same numbers as
 * `treeShapReference`, i.e. LightGBM's pred_contrib with count covers) on the raw log-odds margin.
 *
 * Output layout (the caller supplies the buffer): row-major Float64Array of rowCount x (M + 1), where
 * M = ensemble.featureNames.length (11 for MODEL_FEATURES); entry [r * (M+1) + j] is feature j's contribution
 * and entry [r * (M+1) + M] the expected value, so that for every row
 *   sum(row's M + 1 entries) == predictMargin(ensemble, row).
 *
 * Why a second implementation: Algorithm 2 costs O(leaves x depth^2) per tree and row, too slow for 10,000
 * patients x ~300 trees inside a screening run. The path-dependent value function restricted to one leaf is a
 * product game, so its Shapley values have a closed form that depends on the row only through WHICH of the
 * leaf's path features the row agrees with (the idea behind Yang 2021, "Fast TreeSHAP", algorithm v2):
 *
 *   leaf l, value v, unique path features F (d of them), zero fraction z_j = product of count(child)/count(node)
 *   over the path's splits on j, and for a row the set A of features whose every split on the path the row follows.
 *   The leaf's share of v(S) is v * prod_{j in S} [j in A] * prod_{j in F\S} z_j, whose Shapley values are
 *     i not in A:  phi_i = -v * Q(A)
 *     i in A:      phi_i = v * (1 - z_i) / z_i * Q(A \ {i})
 *   with Q(B) = prod_{j in F\B} z_j * sum_{S subset of B} w(|S|) prod_{j in B\S} z_j and w(k) = k!(d-1-k)!/d!.
 *
 * (for i not in A, A \ {i} = A, so one formula serves both: phi_i = v * ([i in A] / z_i - 1) * Q(A \ {i})).
 * Q is tabulated once per leaf over all 2^d subsets (prepareTreeShap), so a row costs one pass over the
 * tree's nodes (which path features it disagrees with) and O(d) per leaf. Trees with a leaf whose path has more
 * than MAX_TABLE_BITS distinct features fall back to the reference algorithm (never for 11 model features).
 */
import type { Tree, TreeEnsemble } from '../model/tree';
import {
  ensembleExpectedValue,
  nodeCount,
  ShapModelError,
  treeShapTreeReference,
  validateShapEnsemble,
} from './tree-shap-reference';

/**
 * Table limits: a leaf with d distinct path features needs d x 2^d contribution entries. Trees with a leaf beyond
 * MAX_TABLE_BITS, or more than MAX_TREE_TABLE entries in all, use the reference algorithm instead (slower, same
 * values), which bounds memory at ~0.5 MB per tree whatever the model.
 */
export const MAX_TABLE_BITS = 10;
export const MAX_TREE_TABLE = 1 << 16;

/** Feature bits are looked up 6 at a time to find which of a leaf's path features a row left the path on. */
const CHUNK_BITS = 6;
const CHUNK_SIZE = 1 << CHUNK_BITS;

/** A column source in the ensemble's feature order, e.g. the model matrix's Float64Arrays. */
export type FeatureColumns = readonly ArrayLike<number>[];

/** Picks the ensemble's columns out of a named matrix (such as ModelMatrix), in featureNames order. */
export function columnsInOrder(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  featureNames: readonly string[],
): FeatureColumns {
  return featureNames.map((name) => {
    const column = columns[name];
    if (!column) throw new ShapModelError(`the matrix has no column "${name}" that the model uses`);
    return column;
  });
}

/** Rows explained together: their inputs and outputs stay in cache while every tree's tables stream past once. */
const BLOCK_ROWS = 128;

export class TreeShapExplainer {
  readonly featureNames: readonly string[];
  /** Number of features M; each explanation has M + 1 entries. */
  readonly featureCount: number;
  readonly width: number;
  /** baseScore + sum of the trees' count-weighted mean leaf values (raw log-odds). */
  readonly expectedValue: number;
  /** Trees explained by the reference algorithm because a path is too feature-rich for the tables (audit/bench). */
  readonly referenceTreeCount: number;

  // Flattened fast trees. Per tree, a scratch slot per node: internal nodes 0..n-2 renumbered so that parents
  // precede children, then leaves n-1..2n-2.
  private readonly treeNodeStart: Int32Array;
  private readonly treeLeafStart: Int32Array;
  private readonly nodeFeature: Int32Array;
  private readonly nodeThreshold: Float64Array;
  private readonly nodeDefaultLeft: Uint8Array;
  private readonly nodeLeftSlot: Int32Array;
  private readonly nodeRightSlot: Int32Array;
  private readonly leafDepth: Uint8Array;
  private readonly leafSlot: Int32Array;
  private readonly leafTable: Int32Array;
  /** Per (leaf, path feature k): the feature index. */
  private readonly slotFeature: Int32Array;
  /** Per leaf and chunk c: failed-feature bits (6 per chunk) -> the same set as local bits k. */
  private readonly leafLookup: Int32Array;
  private readonly lookup: Uint16Array;
  private readonly chunkCount: number;
  /** Per leaf, for each agreement pattern A and path feature k: the contribution (table[A * d + k]). */
  private readonly tables: Float64Array;
  private readonly slowTrees: Tree[];
  private readonly masks: Int32Array;
  private readonly rows: Float64Array;

  constructor(ensemble: TreeEnsemble) {
    validateShapEnsemble(ensemble);
    this.featureNames = [...ensemble.featureNames];
    this.featureCount = ensemble.featureNames.length;
    this.width = this.featureCount + 1;
    this.expectedValue = ensembleExpectedValue(ensemble);
    this.rows = new Float64Array(BLOCK_ROWS * this.featureCount);

    const plans: LeafPlan[][] = [];
    const fast: Tree[] = [];
    this.slowTrees = [];
    for (const tree of ensemble.trees) {
      if (tree.numLeaves <= 1) continue; // only shifts the expected value
      const leaves = planLeaves(tree);
      // Feature bits live in an int32 mask, hence the 31-feature limit of the fast path.
      const entries = leaves.reduce((sum, leaf) => sum + leaf.features.length * 2 ** leaf.features.length, 0);
      const small = leaves.every((leaf) => leaf.features.length <= MAX_TABLE_BITS) && entries <= MAX_TREE_TABLE;
      if (this.featureCount <= 31 && small) {
        fast.push(tree);
        plans.push(leaves);
      } else {
        this.slowTrees.push(tree);
      }
    }
    this.referenceTreeCount = this.slowTrees.length;

    let nodeTotal = 0;
    let leafTotal = 0;
    let slotTotal = 0;
    let tableTotal = 0;
    let maxLeaves = 1;
    for (let t = 0; t < fast.length; t++) {
      nodeTotal += fast[t].numLeaves - 1;
      leafTotal += fast[t].numLeaves;
      maxLeaves = Math.max(maxLeaves, fast[t].numLeaves);
      for (const leaf of plans[t]) {
        slotTotal += leaf.features.length;
        tableTotal += leaf.features.length << leaf.features.length;
      }
    }
    this.treeNodeStart = new Int32Array(fast.length + 1);
    this.treeLeafStart = new Int32Array(fast.length + 1);
    this.nodeFeature = new Int32Array(nodeTotal);
    this.nodeThreshold = new Float64Array(nodeTotal);
    this.nodeDefaultLeft = new Uint8Array(nodeTotal);
    this.nodeLeftSlot = new Int32Array(nodeTotal);
    this.nodeRightSlot = new Int32Array(nodeTotal);
    this.leafDepth = new Uint8Array(leafTotal);
    this.leafSlot = new Int32Array(leafTotal);
    this.leafTable = new Int32Array(leafTotal);
    this.slotFeature = new Int32Array(slotTotal);
    this.chunkCount = Math.ceil(this.featureCount / CHUNK_BITS);
    this.leafLookup = new Int32Array(leafTotal);
    this.lookup = new Uint16Array(leafTotal * this.chunkCount * CHUNK_SIZE);
    this.tables = new Float64Array(tableTotal);
    this.masks = new Int32Array(2 * maxLeaves - 1);

    let nodeAt = 0;
    let leafAt = 0;
    let slotAt = 0;
    let tableAt = 0;
    for (let t = 0; t < fast.length; t++) {
      const tree = fast[t];
      const internal = tree.numLeaves - 1;
      this.treeNodeStart[t] = nodeAt;
      this.treeLeafStart[t] = leafAt;
      const order = breadthFirstOrder(tree);
      const slotOf = new Int32Array(internal);
      order.forEach((node, i) => {
        slotOf[node] = i;
      });
      const encode = (child: number) => (child >= 0 ? slotOf[child] : internal + ~child);
      for (let i = 0; i < order.length; i++) {
        const node = order[i];
        const g = nodeAt + i;
        this.nodeFeature[g] = tree.splitFeature[node];
        this.nodeThreshold[g] = tree.threshold[node];
        this.nodeDefaultLeft[g] = tree.defaultLeft[node] ? 1 : 0;
        this.nodeLeftSlot[g] = encode(tree.leftChild[node]);
        this.nodeRightSlot[g] = encode(tree.rightChild[node]);
      }
      for (let l = 0; l < tree.numLeaves; l++) {
        const plan = plans[t][l];
        const d = plan.features.length;
        this.leafDepth[leafAt + l] = d;
        this.leafSlot[leafAt + l] = slotAt;
        this.leafTable[leafAt + l] = tableAt;
        for (let k = 0; k < d; k++) this.slotFeature[slotAt + k] = plan.features[k];
        const lookupAt = (leafAt + l) * this.chunkCount * CHUNK_SIZE;
        this.leafLookup[leafAt + l] = lookupAt;
        for (let c = 0; c < this.chunkCount; c++) {
          for (let bits = 0; bits < CHUNK_SIZE; bits++) {
            let local = 0;
            plan.features.forEach((f, k) => {
              if (f >= c * CHUNK_BITS && f < (c + 1) * CHUNK_BITS && (bits >>> (f - c * CHUNK_BITS)) & 1)
                local |= 1 << k;
            });
            this.lookup[lookupAt + c * CHUNK_SIZE + bits] = local;
          }
        }
        fillLeafTable(plan.zero, tree.leafValue[l], this.tables.subarray(tableAt, tableAt + (d << d)));
        slotAt += d;
        tableAt += d << d;
      }
      nodeAt += internal;
      leafAt += tree.numLeaves;
    }
    this.treeNodeStart[fast.length] = nodeAt;
    this.treeLeafStart[fast.length] = leafAt;
  }

  /**
   * Explains rows [0, rowCount) of `columns` (featureNames order; NaN = missing, routed as the trees route it)
   * into `out` (at least rowCount x width, row-major). Returns `out`.
   */
  explainBatch(columns: FeatureColumns, rowCount: number, out: Float64Array): Float64Array {
    const m = this.featureCount;
    if (columns.length !== m) {
      throw new RangeError(`expected ${m} feature columns in model order, got ${columns.length}`);
    }
    columns.forEach((column, j) => {
      if (column.length < rowCount) {
        throw new RangeError(`column "${this.featureNames[j]}" has ${column.length} values, need ${rowCount}`);
      }
    });
    if (out.length < rowCount * this.width) {
      throw new RangeError(`output holds ${out.length} values, need ${rowCount} x ${this.width}`);
    }
    const rows = this.rows;
    for (let start = 0; start < rowCount; start += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, rowCount - start);
      for (let j = 0; j < m; j++) {
        const column = columns[j];
        for (let i = 0; i < n; i++) rows[i * m + j] = column[start + i];
      }
      this.explainBlock(n, out, start * this.width);
    }
    return out;
  }

  /** One row (featureNames order) into out[0..width-1]: M contributions, then the expected value. */
  explainRow(row: ArrayLike<number>, out = new Float64Array(this.width)): Float64Array {
    if (row.length < this.featureCount) {
      throw new RangeError(`expected ${this.featureCount} feature values, got ${row.length}`);
    }
    if (out.length < this.width) throw new RangeError(`output holds ${out.length} values, need ${this.width}`);
    for (let j = 0; j < this.featureCount; j++) this.rows[j] = row[j];
    this.explainBlock(1, out, 0);
    return out;
  }

  /** Explains the first n rows of this.rows into out starting at outStart. */
  private explainBlock(n: number, out: Float64Array, outStart: number): void {
    const m = this.featureCount;
    const w = this.width;
    const { rows, masks, nodeFeature, nodeThreshold, nodeDefaultLeft, nodeLeftSlot, nodeRightSlot } = this;
    const { leafDepth, leafSlot, leafTable, slotFeature, leafLookup, lookup, chunkCount, tables } = this;
    for (let i = 0; i < n; i++) {
      const o = outStart + i * w;
      out.fill(0, o, o + m);
      out[o + m] = this.expectedValue;
    }
    const treeCount = this.treeNodeStart.length - 1;
    for (let t = 0; t < treeCount; t++) {
      const nodeStart = this.treeNodeStart[t];
      const internal = this.treeNodeStart[t + 1] - nodeStart;
      const leafStart = this.treeLeafStart[t];
      const leafEnd = this.treeLeafStart[t + 1];
      for (let i = 0; i < n; i++) {
        const r = i * m;
        const o = outStart + i * w;
        // Pass 1 (parents first): per node, the features (bit f) on which the row left the path to it.
        masks[0] = 0;
        for (let k = 0; k < internal; k++) {
          const node = nodeStart + k;
          const mask = masks[k];
          const f = nodeFeature[node];
          const x = rows[r + f];
          const left = x <= nodeThreshold[node] ? 1 : Number.isNaN(x) ? nodeDefaultLeft[node] : 0;
          const bit = 1 << f;
          masks[nodeLeftSlot[node]] = mask | (bit & (left - 1));
          masks[nodeRightSlot[node]] = mask | (bit & -left);
        }
        // Pass 2: every leaf's closed-form Shapley values for the row's agreement pattern A (bit k: path feature k).
        // Written without data-dependent branches: phi_f += (on / z - 1) * table[A without k] covers both cases.
        for (let leaf = leafStart; leaf < leafEnd; leaf++) {
          const failed = masks[internal + leaf - leafStart];
          const d = leafDepth[leaf];
          const s = leafSlot[leaf];
          const lk = leafLookup[leaf];
          let localFailed = 0;
          for (let c = 0; c < chunkCount; c++) {
            localFailed |= lookup[lk + c * CHUNK_SIZE + ((failed >>> (c * CHUNK_BITS)) & (CHUNK_SIZE - 1))];
          }
          const a = ((1 << d) - 1) ^ localFailed;
          const table = leafTable[leaf] + a * d;
          for (let k = 0; k < d; k++) out[o + slotFeature[s + k]] += tables[table + k];
        }
      }
    }
    if (this.slowTrees.length > 0) {
      for (let i = 0; i < n; i++) {
        const row = rows.subarray(i * m, (i + 1) * m);
        const phi = out.subarray(outStart + i * w, outStart + (i + 1) * w);
        for (const tree of this.slowTrees) treeShapTreeReference(tree, row, phi);
      }
    }
  }
}

/** Validates the ensemble and tabulates it for fast explanation; throws ShapModelError if it cannot be explained. */
export function prepareTreeShap(ensemble: TreeEnsemble): TreeShapExplainer {
  return new TreeShapExplainer(ensemble);
}

interface LeafPlan {
  /** Distinct features on the root-to-leaf path, in order of first appearance. */
  features: number[];
  /** Per feature: product of count(child) / count(node) over the path's splits on it. */
  zero: number[];
}

function planLeaves(tree: Tree): LeafPlan[] {
  const plans: LeafPlan[] = new Array(tree.numLeaves);
  const walk = (node: number, features: number[], zero: number[]): void => {
    if (node < 0) {
      plans[~node] = { features, zero };
      return;
    }
    const f = tree.splitFeature[node];
    const count = tree.internalCount[node];
    for (const child of [tree.leftChild[node], tree.rightChild[node]]) {
      const ratio = nodeCount(tree, child) / count;
      const k = features.indexOf(f);
      if (k >= 0) {
        const z = zero.slice();
        z[k] *= ratio;
        walk(child, features, z);
      } else {
        walk(child, [...features, f], [...zero, ratio]);
      }
    }
  };
  walk(0, [], []);
  return plans;
}

function breadthFirstOrder(tree: Tree): number[] {
  const order = [0];
  for (let i = 0; i < order.length; i++) {
    const node = order[i];
    if (tree.leftChild[node] >= 0) order.push(tree.leftChild[node]);
    if (tree.rightChild[node] >= 0) order.push(tree.rightChild[node]);
  }
  return order;
}

/**
 * table[A * d + k] = phi_k for agreement pattern A = value * ([k in A] / z_k - 1) * Q(A \ {k}), where
 * Q(B) = prod_{j not in B} z_j * sum_m w(m) * c_m(B) and c_m(B) is the coefficient of t^m in prod_{j in B}(t + z_j)
 * (the sum over |S| = m subsets S of B of prod_{j in B\S} z_j), w(m) = m! (d-1-m)! / d!.
 */
function fillLeafTable(zero: readonly number[], value: number, table: Float64Array): void {
  const d = zero.length;
  const size = 1 << d;
  const full = size - 1;
  const stride = d + 1;
  const poly = new Float64Array(size * stride);
  const prodIn = new Float64Array(size);
  const sizeOf = new Uint8Array(size);
  poly[0] = 1;
  prodIn[0] = 1;
  for (let b = 1; b < size; b++) {
    const low = b & -b;
    const k = 31 - Math.clz32(low);
    const p = b ^ low;
    const z = zero[k];
    const pc = sizeOf[p];
    sizeOf[b] = pc + 1;
    const from = p * stride;
    const to = b * stride;
    // Multiply the polynomial of p by (t + z).
    poly[to] = z * poly[from];
    for (let m = 1; m <= pc; m++) poly[to + m] = poly[from + m - 1] + z * poly[from + m];
    poly[to + pc + 1] = poly[from + pc];
    prodIn[b] = prodIn[p] * z;
  }
  const w = new Float64Array(d);
  let binomial = 1; // C(d-1, m)
  for (let m = 0; m < d; m++) {
    w[m] = 1 / (d * binomial);
    binomial = (binomial * (d - 1 - m)) / (m + 1);
  }
  // The full set never has a feature outside it, so Q(full) is not needed.
  const q = new Float64Array(size);
  for (let b = 0; b < full; b++) {
    let sum = 0;
    for (let m = 0; m <= sizeOf[b]; m++) sum += w[m] * poly[b * stride + m];
    q[b] = value * prodIn[full ^ b] * sum;
  }
  for (let a = 0; a < size; a++) {
    for (let k = 0; k < d; k++) {
      const on = (a >>> k) & 1;
      table[a * d + k] = on ? ((1 - zero[k]) / zero[k]) * q[a ^ (1 << k)] : -q[a];
    }
  }
}
