import type { Tree } from '../model/tree';
import type { UnitPlan } from './tree-units';

/** Feature bits are looked up 6 at a time to find which of a path's features a row left the path on. */
export const CHUNK_BITS = 6;
export const CHUNK_SIZE = 1 << CHUNK_BITS;

/**
 * The tabulated trees flattened into typed arrays, for a kernel that loops node by node and unit by unit.
 * Per tree, its internal nodes: first those above the units (parents before children, with the mask slots of
 * their children), then those inside units (grouped by unit).
 */
export interface FlatForest {
  treeNodeStart: Int32Array;
  treeUnitStart: Int32Array;
  treeAboveCount: Int32Array;
  nodeFeature: Int32Array;
  nodeThreshold: Float64Array;
  nodeDefaultLeft: Uint8Array;
  nodeLeftSlot: Int32Array;
  nodeRightSlot: Int32Array;
  // Units: a leaf, or a small subtree tabulated whole.
  unitRootSlot: Int32Array;
  unitLookup: Int32Array;
  unitFeatureStart: Int32Array;
  unitFeatureCount: Uint8Array;
  /** Table offset of the row for index (all prefix features agreed, every inner decision right): (2^p - 1) * q. */
  unitBase: Int32Array;
  /** Per node inside a unit: the unit's slot in its tree and q << (p + j), added to the row's offset if it goes left. */
  nodeUnitSlot: Int32Array;
  nodeWeight: Int32Array;
  /** A unit's features, in the order of its table rows. */
  unitFeature: Int32Array;
  /** Per unit and chunk c: failed-feature bits (6 per chunk) -> q x (the same set as bits of the unit's prefix). */
  lookup: Uint16Array;
  chunkCount: number;
  /** Per unit, for each index (prefix agreement | inner decisions << p) a row of contributions. */
  tables: Float64Array;
  /** The most mask slots (internal nodes + units) and units of any one tree, to size per-row scratch. */
  maxNodes: number;
  maxUnits: number;
}

/** Lays out the trees cut into units (planUnits) for a model of `featureCount` features. */
export function flattenForest(fast: { tree: Tree; units: UnitPlan[] }[], featureCount: number): FlatForest {
  const chunkCount = Math.ceil(featureCount / CHUNK_BITS);
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
  const treeNodeStart = new Int32Array(fast.length + 1);
  const treeUnitStart = new Int32Array(fast.length + 1);
  const treeAboveCount = new Int32Array(fast.length);
  const nodeFeature = new Int32Array(nodeTotal);
  const nodeThreshold = new Float64Array(nodeTotal);
  const nodeDefaultLeft = new Uint8Array(nodeTotal);
  const nodeLeftSlot = new Int32Array(nodeTotal);
  const nodeRightSlot = new Int32Array(nodeTotal);
  const unitRootSlot = new Int32Array(unitTotal);
  const unitLookup = new Int32Array(unitTotal);
  const unitBase = new Int32Array(unitTotal);
  const nodeUnitSlot = new Int32Array(nodeTotal);
  const nodeWeight = new Int32Array(nodeTotal);
  const unitFeatureStart = new Int32Array(unitTotal);
  const unitFeatureCount = new Uint8Array(unitTotal);
  const unitFeature = new Int32Array(featureTotal);
  const lookup = new Uint16Array(unitTotal * chunkCount * CHUNK_SIZE);
  const tables = new Float64Array(tableTotal);

  let nodeAt = 0;
  let unitAt = 0;
  let featureAt = 0;
  let tableAt = 0;
  for (let t = 0; t < fast.length; t++) {
    const { tree, units } = fast[t];
    const internal = tree.numLeaves - 1;
    treeNodeStart[t] = nodeAt;
    treeUnitStart[t] = unitAt;
    // Nodes above the units (parents first) carry the failed-feature masks down to the unit roots; a node
    // inside a unit adds its weight to the unit's table offset when the row goes left.
    // Mask slots: above nodes 0..a-1, then the unit roots.
    const insideUnits = new Set(units.flatMap((unit) => unit.inner));
    const above = breadthFirstOrder(tree).filter((node) => !insideUnits.has(node));
    const maskSlot = new Map<number, number>(above.map((node, k) => [node, k]));
    units.forEach((unit, u) => {
      maskSlot.set(unit.root, above.length + u);
    });
    treeAboveCount[t] = above.length;
    const place = (g: number, node: number) => {
      nodeFeature[g] = tree.splitFeature[node];
      nodeThreshold[g] = tree.threshold[node];
      nodeDefaultLeft[g] = tree.defaultLeft[node] ? 1 : 0;
    };
    above.forEach((node, k) => {
      place(nodeAt + k, node);
      nodeLeftSlot[nodeAt + k] = maskSlot.get(tree.leftChild[node]) ?? -1;
      nodeRightSlot[nodeAt + k] = maskSlot.get(tree.rightChild[node]) ?? -1;
    });
    let insideAt = nodeAt + above.length;
    units.forEach((unit, u) => {
      unit.inner.forEach((node, j) => {
        place(insideAt, node);
        nodeUnitSlot[insideAt] = u;
        nodeWeight[insideAt] = unit.features.length << (unit.prefix.length + j);
        insideAt++;
      });
    });
    for (const unit of units) {
      const q = unit.features.length;
      unitRootSlot[unitAt] = maskSlot.get(unit.root) as number;
      unitBase[unitAt] = tableAt + ((1 << unit.prefix.length) - 1) * q;
      unitFeatureStart[unitAt] = featureAt;
      unitFeatureCount[unitAt] = unit.features.length;
      for (const f of unit.features) unitFeature[featureAt++] = f;
      tables.set(unit.table, tableAt);
      tableAt += unit.table.length;
      const lookupAt = unitAt * chunkCount * CHUNK_SIZE;
      unitLookup[unitAt] = lookupAt;
      for (let c = 0; c < chunkCount; c++) {
        for (let bits = 0; bits < CHUNK_SIZE; bits++) {
          let local = 0;
          unit.prefix.forEach((f, k) => {
            const inChunk = f >= c * CHUNK_BITS && f < (c + 1) * CHUNK_BITS;
            if (inChunk && (bits >>> (f - c * CHUNK_BITS)) & 1) local |= 1 << k;
          });
          lookup[lookupAt + c * CHUNK_SIZE + bits] = local * q;
        }
      }
      unitAt++;
    }
    nodeAt += internal;
  }
  treeNodeStart[fast.length] = nodeAt;
  treeUnitStart[fast.length] = unitAt;
  return {
    treeNodeStart,
    treeUnitStart,
    treeAboveCount,
    nodeFeature,
    nodeThreshold,
    nodeDefaultLeft,
    nodeLeftSlot,
    nodeRightSlot,
    unitRootSlot,
    unitLookup,
    unitFeatureStart,
    unitFeatureCount,
    unitBase,
    nodeUnitSlot,
    nodeWeight,
    unitFeature,
    lookup,
    chunkCount,
    tables,
    maxNodes,
    maxUnits,
  };
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
