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
 * Q, hence every leaf's contributions for all 2^d patterns, is tabulated once (prepareTreeShap). Going further,
 * small subtrees are tabulated whole ("units"): a unit's contributions depend on the row only through its
 * agreement with the p distinct features above the unit and its s decisions inside, so when p + s <= UNIT_BITS
 * one table row (the summed contributions of all its leaves) replaces one per leaf.
 *
 * Per block of rows and tree, the work is: (1) nodes above the units propagate, per row, the set of features on
 * which the row left the path (bit masks); nodes inside units add their decision to the unit's table offset;
 * (2) each unit turns the mask at its root into the prefix part of the offset (two 64-entry lookups) and adds
 * its table row into the block's sums. No data-dependent branches, no allocation, caller-supplied output.
 * The values are the reference algorithm's to float rounding (tests: <= 1e-10, and brute-force Shapley).
 * Trees whose tables would be too large (see MAX_TABLE_BITS) fall back to the reference algorithm.
 *
 * Cost is measured by scripts/bench/explain.ts (npm run bench:explain).
 */
import type { Tree, TreeEnsemble } from '../model/tree';
import {
  ensembleExpectedValue,
  nodeCount,
  type PathStore,
  pathStoreFor,
  ShapModelError,
  treeShapTreeReference,
  validateShapEnsemble,
} from './tree-shap-reference';

/**
 * Table limits. A leaf with d distinct path features has a d x 2^d contribution table. Trees with a leaf beyond
 * MAX_TABLE_BITS (never with the 11 model features), or whose tables together exceed
 * max(MAX_TREE_TABLE, TABLE_PER_LEAF x leaves) entries even one unit per leaf, use the reference algorithm
 * instead (slower, same values): memory stays under ~8 KB per leaf whatever the model.
 */
export const MAX_TABLE_BITS = 11;
export const MAX_TREE_TABLE = 1 << 16;
const TABLE_PER_LEAF = 1024;
/**
 * Small subtrees are tabulated whole: indexed by the row's agreement with the p features above the subtree and
 * its s decisions inside, when p + s <= UNIT_BITS. One lookup then replaces one per leaf.
 */
const UNIT_BITS = 9;

/** Feature bits are looked up 6 at a time to find which of a path's features a row left the path on. */
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
const BLOCK_ROWS = 256;

export class TreeShapExplainer {
  readonly featureNames: readonly string[];
  /** Number of features M; each explanation has M + 1 entries. */
  readonly featureCount: number;
  readonly width: number;
  /** baseScore + sum of the trees' count-weighted mean leaf values (raw log-odds). */
  readonly expectedValue: number;
  /** Trees explained by the reference algorithm because a path is too feature-rich for the tables (audit/bench). */
  readonly referenceTreeCount: number;
  /** Contribution table entries held (memory = 8 bytes each). */
  readonly tableEntries: number;

  // Flattened fast trees. Per tree, its internal nodes: first those above the units (parents before children,
  // with the mask slots of their children), then those inside units (grouped by unit).
  private readonly treeNodeStart: Int32Array;
  private readonly treeUnitStart: Int32Array;
  private readonly treeAboveCount: Int32Array;
  private readonly nodeFeature: Int32Array;
  private readonly nodeThreshold: Float64Array;
  private readonly nodeDefaultLeft: Uint8Array;
  private readonly nodeLeftSlot: Int32Array;
  private readonly nodeRightSlot: Int32Array;
  // Units: a leaf, or a small subtree tabulated whole (see UNIT_BITS).
  private readonly unitRootSlot: Int32Array;
  private readonly unitLookup: Int32Array;
  private readonly unitFeatureStart: Int32Array;
  private readonly unitFeatureCount: Uint8Array;
  /** Table offset of the row for index (all prefix features agreed, every inner decision right): (2^p - 1) * q. */
  private readonly unitBase: Int32Array;
  /** Per node inside a unit: the unit's slot in its tree and q << (p + j), added to the row's offset if it goes left. */
  private readonly nodeUnitSlot: Int32Array;
  private readonly nodeWeight: Int32Array;
  /** A unit's features, in the order of its table rows. */
  private readonly unitFeature: Int32Array;
  /** Per unit and chunk c: failed-feature bits (6 per chunk) -> q x (the same set as bits of the unit's prefix). */
  private readonly lookup: Uint16Array;
  private readonly chunkCount: number;
  /** Per unit, for each index (prefix agreement | inner decisions << p) a row of contributions. */
  private readonly tables: Float64Array;
  private readonly slowTrees: Tree[];
  private readonly slowStores: PathStore[];
  // Scratch for one block of rows.
  private readonly masks: Int32Array;
  private readonly unitOffset: Int32Array;
  private readonly rowIndex: Int32Array;
  private readonly rows: Float64Array;
  private readonly sums: Float64Array;

  constructor(ensemble: TreeEnsemble) {
    validateShapEnsemble(ensemble);
    this.featureNames = [...ensemble.featureNames];
    const m = ensemble.featureNames.length;
    this.featureCount = m;
    this.width = m + 1;
    this.expectedValue = ensembleExpectedValue(ensemble);
    this.chunkCount = Math.ceil(m / CHUNK_BITS);
    this.rows = new Float64Array(BLOCK_ROWS * m);
    this.sums = new Float64Array(BLOCK_ROWS * m);

    const fast: { tree: Tree; units: UnitPlan[] }[] = [];
    this.slowTrees = [];
    for (const tree of ensemble.trees) {
      if (tree.numLeaves <= 1) continue; // only shifts the expected value
      const units = m <= 31 ? planUnits(tree) : null; // feature bits live in an int32 mask
      if (units) fast.push({ tree, units });
      else this.slowTrees.push(tree);
    }
    this.referenceTreeCount = this.slowTrees.length;
    this.slowStores = this.slowTrees.map(pathStoreFor);

    let nodeTotal = 0;
    let unitTotal = 0;
    let featureTotal = 0;
    let tableTotal = 0;
    let maxNodes = 1;
    let maxUnits = 1;
    for (const { tree, units } of fast) {
      nodeTotal += tree.numLeaves - 1;
      maxNodes = Math.max(maxNodes, tree.numLeaves - 1 + units.length);
      maxUnits = Math.max(maxUnits, units.length);
      unitTotal += units.length;
      for (const unit of units) {
        featureTotal += unit.features.length;
        tableTotal += unit.table.length;
      }
    }
    this.tableEntries = tableTotal;
    this.treeNodeStart = new Int32Array(fast.length + 1);
    this.treeUnitStart = new Int32Array(fast.length + 1);
    this.treeAboveCount = new Int32Array(fast.length);
    this.nodeFeature = new Int32Array(nodeTotal);
    this.nodeThreshold = new Float64Array(nodeTotal);
    this.nodeDefaultLeft = new Uint8Array(nodeTotal);
    this.nodeLeftSlot = new Int32Array(nodeTotal);
    this.nodeRightSlot = new Int32Array(nodeTotal);
    this.unitRootSlot = new Int32Array(unitTotal);
    this.unitLookup = new Int32Array(unitTotal);
    this.unitBase = new Int32Array(unitTotal);
    this.nodeUnitSlot = new Int32Array(nodeTotal);
    this.nodeWeight = new Int32Array(nodeTotal);
    this.unitFeatureStart = new Int32Array(unitTotal);
    this.unitFeatureCount = new Uint8Array(unitTotal);
    this.unitFeature = new Int32Array(featureTotal);
    this.lookup = new Uint16Array(unitTotal * this.chunkCount * CHUNK_SIZE);
    this.tables = new Float64Array(tableTotal);
    this.masks = new Int32Array(maxNodes * BLOCK_ROWS);
    this.unitOffset = new Int32Array(maxUnits * BLOCK_ROWS);
    this.rowIndex = new Int32Array(BLOCK_ROWS);

    let nodeAt = 0;
    let unitAt = 0;
    let featureAt = 0;
    let tableAt = 0;
    for (let t = 0; t < fast.length; t++) {
      const { tree, units } = fast[t];
      const internal = tree.numLeaves - 1;
      this.treeNodeStart[t] = nodeAt;
      this.treeUnitStart[t] = unitAt;
      // Nodes above the units (parents first) carry the failed-feature masks down to the unit roots; a node
      // inside a unit adds its weight to the unit's table offset when the row goes left.
      // Mask slots: above nodes 0..a-1, then the unit roots.
      const insideUnits = new Set(units.flatMap((unit) => unit.inner));
      const above = breadthFirstOrder(tree).filter((node) => !insideUnits.has(node));
      const maskSlot = new Map<number, number>(above.map((node, k) => [node, k]));
      units.forEach((unit, u) => {
        maskSlot.set(unit.root, above.length + u);
      });
      this.treeAboveCount[t] = above.length;
      const place = (g: number, node: number) => {
        this.nodeFeature[g] = tree.splitFeature[node];
        this.nodeThreshold[g] = tree.threshold[node];
        this.nodeDefaultLeft[g] = tree.defaultLeft[node] ? 1 : 0;
      };
      above.forEach((node, k) => {
        place(nodeAt + k, node);
        this.nodeLeftSlot[nodeAt + k] = maskSlot.get(tree.leftChild[node]) ?? -1;
        this.nodeRightSlot[nodeAt + k] = maskSlot.get(tree.rightChild[node]) ?? -1;
      });
      let insideAt = nodeAt + above.length;
      units.forEach((unit, u) => {
        unit.inner.forEach((node, j) => {
          place(insideAt, node);
          this.nodeUnitSlot[insideAt] = u;
          this.nodeWeight[insideAt] = unit.features.length << (unit.prefix.length + j);
          insideAt++;
        });
      });
      for (const unit of units) {
        const q = unit.features.length;
        this.unitRootSlot[unitAt] = maskSlot.get(unit.root) as number;
        this.unitBase[unitAt] = tableAt + ((1 << unit.prefix.length) - 1) * q;
        this.unitFeatureStart[unitAt] = featureAt;
        this.unitFeatureCount[unitAt] = unit.features.length;
        for (const f of unit.features) this.unitFeature[featureAt++] = f;
        this.tables.set(unit.table, tableAt);
        tableAt += unit.table.length;
        const lookupAt = unitAt * this.chunkCount * CHUNK_SIZE;
        this.unitLookup[unitAt] = lookupAt;
        for (let c = 0; c < this.chunkCount; c++) {
          for (let bits = 0; bits < CHUNK_SIZE; bits++) {
            let local = 0;
            unit.prefix.forEach((f, k) => {
              const inChunk = f >= c * CHUNK_BITS && f < (c + 1) * CHUNK_BITS;
              if (inChunk && (bits >>> (f - c * CHUNK_BITS)) & 1) local |= 1 << k;
            });
            this.lookup[lookupAt + c * CHUNK_SIZE + bits] = local * q;
          }
        }
        unitAt++;
      }
      nodeAt += internal;
    }
    this.treeNodeStart[fast.length] = nodeAt;
    this.treeUnitStart[fast.length] = unitAt;
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
        for (let i = 0; i < n; i++) rows[j * BLOCK_ROWS + i] = column[start + i];
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
    for (let j = 0; j < this.featureCount; j++) this.rows[j * BLOCK_ROWS] = row[j];
    this.explainBlock(1, out, 0);
    return out;
  }

  /**
   * Explains the first n rows of this.rows (column-major, BLOCK_ROWS per feature) into out from outStart.
   * Loops run node by node and unit by unit over the block's rows, so each node's or unit's constants are
   * loaded once per block rather than once per row.
   */
  private explainBlock(n: number, out: Float64Array, outStart: number): void {
    const m = this.featureCount;
    const w = this.width;
    const { rows, masks, unitOffset, rowIndex, nodeFeature, nodeThreshold, nodeDefaultLeft } = this;
    const { nodeLeftSlot, nodeRightSlot, nodeUnitSlot, nodeWeight, unitRootSlot, unitLookup, unitBase } = this;
    const { unitFeatureStart, unitFeatureCount, unitFeature } = this;
    const { lookup, chunkCount, tables, sums } = this;
    // Contributions add up column-major (feature by feature over the block) and are transposed into out once.
    sums.fill(0);
    const treeCount = this.treeNodeStart.length - 1;
    for (let t = 0; t < treeCount; t++) {
      const nodeStart = this.treeNodeStart[t];
      const internal = this.treeNodeStart[t + 1] - nodeStart;
      const above = this.treeAboveCount[t];
      // Pass 1a (parents first): per node above the units and row, the features (bit f) on which the row left
      // the path to the node. The root has slot 0 whether it is above the units or a unit itself.
      masks.fill(0, 0, n);
      for (let k = 0; k < above; k++) {
        const node = nodeStart + k;
        const f = nodeFeature[node];
        const threshold = nodeThreshold[node];
        const defaultLeft = nodeDefaultLeft[node];
        const bit = 1 << f;
        const x0 = f * BLOCK_ROWS;
        const own = k * BLOCK_ROWS;
        const leftAt = nodeLeftSlot[node] * BLOCK_ROWS;
        const rightAt = nodeRightSlot[node] * BLOCK_ROWS;
        for (let i = 0; i < n; i++) {
          const x = rows[x0 + i];
          const left = +(x <= threshold) | (defaultLeft & +Number.isNaN(x));
          const mask = masks[own + i];
          masks[leftAt + i] = mask | (bit & (left - 1));
          masks[rightAt + i] = mask | (bit & -left);
        }
      }
      // Pass 1b: per node inside a unit and row, the decision's part of the row's offset into the unit's table.
      unitOffset.fill(0, 0, (this.treeUnitStart[t + 1] - this.treeUnitStart[t]) * BLOCK_ROWS);
      for (let node = nodeStart + above; node < nodeStart + internal; node++) {
        const threshold = nodeThreshold[node];
        const weight = nodeWeight[node];
        const defaultWeight = nodeDefaultLeft[node] ? weight : 0;
        const x0 = nodeFeature[node] * BLOCK_ROWS;
        const own = nodeUnitSlot[node] * BLOCK_ROWS;
        for (let i = 0; i < n; i++) {
          const x = rows[x0 + i];
          unitOffset[own + i] += weight * +(x <= threshold) + defaultWeight * +Number.isNaN(x);
        }
      }
      // Pass 2: per unit, each row's offset (agreement with the prefix features, decisions inside) selects a row
      // of contributions. Prefix features the row failed are subtracted from the all-agreed offset (bits are
      // disjoint, so the lookups add).
      const unitStart = this.treeUnitStart[t];
      for (let u = unitStart; u < this.treeUnitStart[t + 1]; u++) {
        const rootAt = unitRootSlot[u] * BLOCK_ROWS;
        const own = (u - unitStart) * BLOCK_ROWS;
        const base = unitBase[u];
        const lk = unitLookup[u];
        const q = unitFeatureCount[u];
        const fs = unitFeatureStart[u];
        // Every unit has at least one feature; the first one's sums are updated in the same pass.
        const first = unitFeature[fs] * BLOCK_ROWS;
        if (chunkCount === 2) {
          // Up to 12 features (the model has 11): two table lookups.
          for (let i = 0; i < n; i++) {
            const failed = masks[rootAt + i];
            const index =
              base - lookup[lk + (failed & 63)] - lookup[lk + 64 + ((failed >>> 6) & 63)] + unitOffset[own + i];
            rowIndex[i] = index;
            sums[first + i] += tables[index];
          }
        } else {
          for (let i = 0; i < n; i++) {
            const failed = masks[rootAt + i];
            let index = base + unitOffset[own + i];
            for (let c = 0; c < chunkCount; c++) {
              index -= lookup[lk + c * CHUNK_SIZE + ((failed >>> (c * CHUNK_BITS)) & (CHUNK_SIZE - 1))];
            }
            rowIndex[i] = index;
            sums[first + i] += tables[index];
          }
        }
        for (let k = 1; k < q; k++) {
          const at = unitFeature[fs + k] * BLOCK_ROWS;
          for (let i = 0; i < n; i++) sums[at + i] += tables[rowIndex[i] + k];
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const o = outStart + i * w;
      for (let j = 0; j < m; j++) out[o + j] = sums[j * BLOCK_ROWS + i];
      out[o + m] = this.expectedValue;
    }
    if (this.slowTrees.length > 0) {
      const row = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) row[j] = rows[j * BLOCK_ROWS + i];
        const phi = out.subarray(outStart + i * w, outStart + (i + 1) * w);
        this.slowTrees.forEach((tree, k) => {
          treeShapTreeReference(tree, row, phi, this.slowStores[k]);
        });
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

/**
 * A unit of the table layout: a node (a leaf, or an internal node whose subtree is small) with
 *   prefix: the distinct features on the path from the root to the node (p of them),
 *   inner:  the subtree's internal nodes (s of them, empty for a leaf),
 * and table[index * q + k] = the summed contributions of the subtree's leaves to features[k] for a row with
 * index = (prefix features the row agreed with, bit k for prefix[k]) | (decision at inner[j] = left) << (p + j).
 */
interface UnitPlan {
  root: number;
  prefix: number[];
  inner: number[];
  features: number[];
  table: Float64Array;
}

/** The tree cut into units, or null when it needs the reference algorithm (see MAX_TABLE_BITS, MAX_TREE_TABLE). */
function planUnits(tree: Tree): UnitPlan[] | null {
  const leaves = planLeaves(tree);
  if (leaves.some((leaf) => leaf.features.length > MAX_TABLE_BITS)) return null;
  // Smaller units if the tables would be too large; 0 means one unit per leaf.
  for (const unitBits of [UNIT_BITS, UNIT_BITS - 4, 0]) {
    const units = cutIntoUnits(tree, leaves, unitBits);
    const entries = units.reduce((sum, unit) => sum + unit.table.length, 0);
    if (entries <= Math.max(MAX_TREE_TABLE, TABLE_PER_LEAF * tree.numLeaves)) return units;
  }
  return null;
}

function cutIntoUnits(tree: Tree, leaves: LeafPlan[], unitBits: number): UnitPlan[] {
  const internalBelow = (node: number): number =>
    node < 0 ? 0 : 1 + internalBelow(tree.leftChild[node]) + internalBelow(tree.rightChild[node]);
  const units: UnitPlan[] = [];
  const select = (node: number, prefix: number[]): void => {
    if (node < 0 || prefix.length + internalBelow(node) <= unitBits) {
      units.push(tabulateUnit(tree, leaves, node, prefix));
      return;
    }
    const f = tree.splitFeature[node];
    const next = prefix.includes(f) ? prefix : [...prefix, f];
    select(tree.leftChild[node], next);
    select(tree.rightChild[node], next);
  };
  select(0, []);
  return units;
}

function tabulateUnit(tree: Tree, leaves: LeafPlan[], root: number, prefix: number[]): UnitPlan {
  // The subtree's internal nodes (preorder) and, per leaf, its steps inside: (inner index, feature, goes left).
  const inner: number[] = [];
  const paths: { leaf: number; steps: [number, number, boolean][] }[] = [];
  const walk = (node: number, steps: [number, number, boolean][]): void => {
    if (node < 0) {
      paths.push({ leaf: ~node, steps });
      return;
    }
    const j = inner.length;
    inner.push(node);
    const f = tree.splitFeature[node];
    walk(tree.leftChild[node], [...steps, [j, f, true]]);
    walk(tree.rightChild[node], [...steps, [j, f, false]]);
  };
  walk(root, []);
  const features = [...prefix];
  for (const node of inner) if (!features.includes(tree.splitFeature[node])) features.push(tree.splitFeature[node]);
  const q = features.length;
  const p = prefix.length;
  const size = 1 << (p + inner.length);
  const table = new Float64Array(size * q);
  const column = new Map(features.map((f, k) => [f, k]));
  const columnOf = (f: number) => column.get(f) as number;
  const prefixMask = (1 << p) - 1;
  for (const { leaf, steps } of paths) {
    const plan = leaves[leaf];
    const d = plan.features.length;
    const leafTable = new Float64Array(d << d);
    fillLeafTable(plan.zero, tree.leafValue[leaf], leafTable);
    const leafColumn = Int32Array.from(plan.features, columnOf);
    const stepShift = Int32Array.from(steps, ([j]) => p + j);
    const stepBit = Int32Array.from(steps, ([, f]) => 1 << columnOf(f));
    const stepLeft = Int32Array.from(steps, ([, , left]) => (left ? 1 : 0));
    for (let index = 0; index < size; index++) {
      // Features (as bits of `features`, the prefix first) on which a row with this index leaves the leaf's path.
      let failed = ~index & prefixMask;
      for (let k = 0; k < steps.length; k++) {
        if (((index >>> stepShift[k]) & 1) !== stepLeft[k]) failed |= stepBit[k];
      }
      let agree = 0;
      for (let k = 0; k < d; k++) if (((failed >>> leafColumn[k]) & 1) === 0) agree |= 1 << k;
      for (let k = 0; k < d; k++) table[index * q + leafColumn[k]] += leafTable[agree * d + k];
    }
  }
  return { root, prefix, inner, features, table };
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
