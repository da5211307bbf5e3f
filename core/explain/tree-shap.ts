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
 * patients x ~300 trees inside a screening run. Instead every leaf's contributions for all the ways a row can
 * agree with its path are tabulated once, in closed form (leaf-table.ts), and small subtrees are tabulated whole
 * as "units" (tree-units.ts); the trees are then flattened for the kernel below (flat-forest.ts).
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
import { CHUNK_BITS, CHUNK_SIZE, type FlatForest, flattenForest } from './flat-forest';
import {
  ensembleExpectedValue,
  type PathStore,
  pathStoreFor,
  ShapModelError,
  treeShapTreeReference,
  validateShapEnsemble,
} from './tree-shap-reference';
import { planUnits, type UnitPlan } from './tree-units';

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

  /** The tabulated trees. */
  private readonly forest: FlatForest;
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
    this.forest = flattenForest(fast, m);
    this.tableEntries = this.forest.tables.length;
    this.masks = new Int32Array(this.forest.maxNodes * BLOCK_ROWS);
    this.unitOffset = new Int32Array(this.forest.maxUnits * BLOCK_ROWS);
    this.rowIndex = new Int32Array(BLOCK_ROWS);
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
    const { rows, masks, unitOffset, rowIndex, sums } = this;
    const { treeNodeStart, treeUnitStart, treeAboveCount, nodeFeature, nodeThreshold, nodeDefaultLeft } = this.forest;
    const { nodeLeftSlot, nodeRightSlot, nodeUnitSlot, nodeWeight, unitRootSlot, unitLookup, unitBase } = this.forest;
    const { unitFeatureStart, unitFeatureCount, unitFeature, lookup, chunkCount, tables } = this.forest;
    // Contributions add up column-major (feature by feature over the block) and are transposed into out once.
    sums.fill(0);
    const treeCount = treeNodeStart.length - 1;
    for (let t = 0; t < treeCount; t++) {
      const nodeStart = treeNodeStart[t];
      const internal = treeNodeStart[t + 1] - nodeStart;
      const above = treeAboveCount[t];
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
      unitOffset.fill(0, 0, (treeUnitStart[t + 1] - treeUnitStart[t]) * BLOCK_ROWS);
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
      const unitStart = treeUnitStart[t];
      for (let u = unitStart; u < treeUnitStart[t + 1]; u++) {
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
