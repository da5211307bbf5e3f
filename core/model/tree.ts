/**
 * The tree ensemble as trained in training/ and read by core (explanations, parity checks).
 * Array layout follows LightGBM's Tree: internal nodes are 0..numLeaves-2, and a child index < 0
 * denotes leaf ~child (so -1 is leaf 0). A sample goes left when x <= threshold; NaN follows
 * defaultLeft. Thresholds are float32-representable so that ONNX (float32 input) makes the same decisions.
 */
export interface Tree {
  numLeaves: number;
  /** Per internal node: index into the ensemble's featureNames. */
  splitFeature: number[];
  threshold: number[];
  defaultLeft: boolean[];
  leftChild: number[];
  rightChild: number[];
  splitGain: number[];
  /** Training rows (after bagging) and hessian sum that reached the node: TreeSHAP's cover. */
  internalCount: number[];
  internalHessian: number[];
  internalValue: number[];
  /** Leaf outputs already multiplied by the learning rate. */
  leafValue: number[];
  leafCount: number[];
  leafHessian: number[];
}

/** margin(x) = baseScore + sum over trees of the leaf value x lands in (raw log-odds). */
export interface TreeEnsemble {
  featureNames: string[];
  baseScore: number;
  trees: Tree[];
}

/** Platt scaling of the raw margin: p = 1 / (1 + exp(-(slope * margin + intercept))). */
export interface PlattCalibration {
  method: 'platt';
  slope: number;
  intercept: number;
}

/** Index of the leaf that a row (feature values in featureNames order) reaches. */
export function leafIndex(tree: Tree, row: ArrayLike<number>): number {
  if (tree.numLeaves <= 1) return 0;
  let node = 0;
  while (node >= 0) {
    const x = row[tree.splitFeature[node]];
    const goLeft = Number.isNaN(x) ? tree.defaultLeft[node] : x <= tree.threshold[node];
    node = goLeft ? tree.leftChild[node] : tree.rightChild[node];
  }
  return ~node;
}

/** Raw log-odds of one row, before calibration. */
export function predictMargin(ensemble: TreeEnsemble, row: ArrayLike<number>): number {
  let margin = ensemble.baseScore;
  for (const tree of ensemble.trees) margin += tree.leafValue[leafIndex(tree, row)];
  return margin;
}

export function calibratedProbability(calibration: PlattCalibration, margin: number): number {
  return 1 / (1 + Math.exp(-(calibration.slope * margin + calibration.intercept)));
}
