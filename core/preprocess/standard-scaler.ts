import { MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import type { ModelMatrix } from './model-matrix';

export interface ScalerParams {
  mean: Record<ModelFeatureName, number>;
  /** Population standard deviation (ddof 0, as sklearn); a constant column keeps scale 1. */
  scale: Record<ModelFeatureName, number>;
}

/** For linear baselines; the trees do not need it. */
export function fitScaler(matrix: ModelMatrix): ScalerParams {
  const mean = {} as Record<ModelFeatureName, number>;
  const scale = {} as Record<ModelFeatureName, number>;
  for (const name of MODEL_FEATURES) {
    const { mean: m, std } = meanAndStd(matrix.columns[name]);
    mean[name] = m;
    scale[name] = std > 0 ? std : 1;
  }
  return { mean, scale };
}

export function applyScaler(params: ScalerParams, matrix: ModelMatrix): ModelMatrix {
  const columns = {} as Record<ModelFeatureName, Float64Array>;
  for (const name of MODEL_FEATURES) {
    const src = matrix.columns[name];
    const dst = new Float64Array(src.length);
    const m = params.mean[name];
    const s = params.scale[name];
    // Stryker disable next-line EqualityOperator: dst has src.length entries, so a write at i = src.length is dropped
    for (let i = 0; i < src.length; i++) dst[i] = (src[i] - m) / s;
    columns[name] = dst;
  }
  return { rowCount: matrix.rowCount, columns };
}

/** Two-pass mean and population standard deviation. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  // Stryker disable next-line ConditionalExpression: without values the sums below are 0 / 0, NaN as well
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n) };
}
