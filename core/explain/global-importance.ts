/**
 * Global view of the explanations over a data set (model card, Models view, SHAP summary chart):
 * mean |SHAP| per feature, for the 11 model features (contributions of width 12) or the 8 folded clinical inputs
 * (width 9); the same function serves both because the expected value is always the last entry of a row.
 * Summary-chart points are subsampled deterministically (evenly spaced rows), so the same batch always draws the
 * same chart. Output is plain JSON (a missing feature value is null).
 */

export interface FeatureImportance {
  feature: string;
  meanAbsShap: number;
  /** 1 = most important. */
  rank: number;
}

function checkShape(contributions: Float64Array, rowCount: number, featureNames: readonly string[]): number {
  const width = featureNames.length + 1;
  if (!Number.isInteger(rowCount) || rowCount < 1) throw new RangeError(`rowCount must be >= 1, got ${rowCount}`);
  if (contributions.length < rowCount * width) {
    throw new RangeError(`contributions hold ${contributions.length} values, need ${rowCount} x ${width}`);
  }
  return width;
}

function meanAbsolute(contributions: Float64Array, rowCount: number, width: number, j: number): number {
  let sum = 0;
  for (let r = 0; r < rowCount; r++) sum += Math.abs(contributions[r * width + j]);
  return sum / rowCount;
}

/** Mean |SHAP| per feature, most important first (ties in featureNames order). */
export function meanAbsShap(
  contributions: Float64Array,
  rowCount: number,
  featureNames: readonly string[],
): FeatureImportance[] {
  const width = checkShape(contributions, rowCount, featureNames);
  return featureNames
    .map((feature, j) => ({ feature, j, meanAbsShap: meanAbsolute(contributions, rowCount, width, j) }))
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap || a.j - b.j)
    .map(({ feature, meanAbsShap }, i) => ({ feature, meanAbsShap, rank: i + 1 }));
}

/** min(rowCount, maxPoints) row indices spread evenly over [0, rowCount), always including row 0. */
export function sampleRowIndices(rowCount: number, maxPoints: number): Uint32Array {
  if (!(maxPoints >= 1)) throw new RangeError(`maxPoints must be >= 1, got ${maxPoints}`);
  const n = Math.min(rowCount, Math.floor(maxPoints));
  const indices = new Uint32Array(n);
  // Stryker disable next-line EqualityOperator: indices has n entries, so a write at k = n is dropped
  for (let k = 0; k < n; k++) indices[k] = Math.floor((k * rowCount) / n);
  return indices;
}

export interface ShapSummarySeries {
  feature: string;
  meanAbsShap: number;
  rank: number;
  /** [feature value (null if missing), SHAP value] per sampled row. */
  points: [number | null, number][];
}

/**
 * Data for a SHAP summary (beeswarm) chart: per feature, most important first, its mean |SHAP| and
 * (value, SHAP) pairs of the sampled rows. `values[j]` is feature j's column (same order as featureNames):
 * model-matrix columns for the 11-feature view, the raw inputs for the clinical view.
 */
export function shapSummary(
  contributions: Float64Array,
  rowCount: number,
  featureNames: readonly string[],
  values: readonly ArrayLike<number>[],
  maxPoints = 1000,
): ShapSummarySeries[] {
  const width = checkShape(contributions, rowCount, featureNames);
  if (values.length !== featureNames.length) {
    throw new RangeError(`expected ${featureNames.length} value columns, got ${values.length}`);
  }
  const rows = sampleRowIndices(rowCount, maxPoints);
  const indexOf = new Map(featureNames.map((f, j) => [f, j]));
  return meanAbsShap(contributions, rowCount, featureNames).map(({ feature, meanAbsShap, rank }) => {
    const j = indexOf.get(feature) as number;
    const points = Array.from(rows, (r): [number | null, number] => {
      const x = values[j][r];
      return [Number.isFinite(x) ? x : null, contributions[r * width + j]];
    });
    return { feature, meanAbsShap, rank, points };
  });
}
