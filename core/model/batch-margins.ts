import type { Tree, TreeEnsemble } from './tree';

/** One tree's node arrays as typed arrays, so the walk over many rows reads compact memory. */
interface PackedTree {
  splitFeature: Int32Array;
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  leafValue: Float64Array;
}

function pack(tree: Tree): PackedTree {
  return {
    splitFeature: Int32Array.from(tree.splitFeature),
    threshold: Float64Array.from(tree.threshold),
    defaultLeft: Uint8Array.from(tree.defaultLeft, (left) => (left ? 1 : 0)),
    leftChild: Int32Array.from(tree.leftChild),
    rightChild: Int32Array.from(tree.rightChild),
    leafValue: Float64Array.from(tree.leafValue),
  };
}

/**
 * predictMargin for every row of a column-major matrix, with the same result bit for bit: each row's margin is
 * baseScore plus the trees' leaf values added in tree order, as predictMargin adds them. Walking one tree over all
 * rows before the next keeps that tree's nodes in cache, which a row-by-row walk over thousands of trees does not.
 * `float32Inputs` rounds every value to float32 first, as the ONNX model receives it.
 */
export function predictMargins(
  ensemble: TreeEnsemble,
  columns: readonly ArrayLike<number>[],
  numRows: number,
  options: { float32Inputs?: boolean } = {},
): Float64Array {
  const margins = new Float64Array(numRows).fill(ensemble.baseScore);
  const inputs = options.float32Inputs ? columns.map((column) => Float64Array.from(column, Math.fround)) : columns;
  for (const tree of ensemble.trees) {
    if (tree.numLeaves <= 1) {
      const value = tree.leafValue[0];
      for (let r = 0; r < numRows; r++) margins[r] += value;
      continue;
    }
    const { splitFeature, threshold, defaultLeft, leftChild, rightChild, leafValue } = pack(tree);
    for (let r = 0; r < numRows; r++) {
      let node = 0;
      while (node >= 0) {
        const x = inputs[splitFeature[node]][r];
        // NaN fails x <= threshold and then follows defaultLeft, as leafIndex decides.
        const goLeft = x <= threshold[node] || (defaultLeft[node] === 1 && Number.isNaN(x));
        node = goLeft ? leftChild[node] : rightChild[node];
      }
      margins[r] += leafValue[~node];
    }
  }
  return margins;
}
