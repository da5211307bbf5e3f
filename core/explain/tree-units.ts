/**
 * How a tree is cut into tabulated units. Every leaf's contributions for all agreement patterns come from
 * leaf-table.ts; going further, small subtrees are tabulated whole ("units"): a unit's contributions depend on
 * the row only through its agreement with the p distinct features above the unit and its s decisions inside, so
 * when p + s <= UNIT_BITS one table row (the summed contributions of all its leaves) replaces one per leaf.
 */
import type { Tree } from '../model/tree';
import { fillLeafTable } from './leaf-table';
import { nodeCount } from './tree-shap-reference';

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
export interface UnitPlan {
  root: number;
  prefix: number[];
  inner: number[];
  features: number[];
  table: Float64Array;
}

/** The tree cut into units, or null when it needs the reference algorithm (see MAX_TABLE_BITS, MAX_TREE_TABLE). */
export function planUnits(tree: Tree): UnitPlan[] | null {
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
