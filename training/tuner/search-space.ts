import type { TrainConfig } from '../config';

/** One tuned parameter: a float or integer range, optionally searched on a log scale. */
export interface ParamSpec {
  name: string;
  low: number;
  high: number;
  log?: boolean;
  int?: boolean;
}

/**
 * The base search space (an Optuna-style study over LightGBM's parameters), in their sklearn names.
 * n_estimators is not tuned there; the number of trees is TrainConfig.numIterations.
 */
export const SEARCH_SPACE: readonly ParamSpec[] = [
  { name: 'learning_rate', low: 0.01, high: 0.1, log: true },
  { name: 'max_depth', low: 3, high: 10, int: true },
  { name: 'num_leaves', low: 20, high: 100, int: true },
  { name: 'scale_pos_weight', low: 2, high: 4 },
  { name: 'min_child_samples', low: 10, high: 50, int: true },
  { name: 'subsample', low: 0.6, high: 1 },
  { name: 'colsample_bytree', low: 0.6, high: 1 },
];

/**
 * Extra dimensions beyond SEARCH_SPACE: L2 leaf regularisation and the minimum hessian sum per
 * leaf (LightGBM's reg_lambda / min_child_weight). Part of the default procedure since v1.1.0 (see DEFAULT_PROCEDURE).
 */
export const REGULARISATION_PARAMS: readonly ParamSpec[] = [
  { name: 'reg_lambda', low: 1e-3, high: 10, log: true },
  { name: 'min_child_weight', low: 1e-3, high: 10, log: true },
];
/** The number of trees as a tuned dimension (evaluated; not in the default procedure: slower, no better). */
export const N_ESTIMATORS_PARAM: ParamSpec = { name: 'n_estimators', low: 50, high: 200, int: true };

export type TunedParams = Record<string, number>;

/**
 * Maps sklearn-style names onto the trainer's config. subsample only acts with a bagging frequency
 * (LightGBM ignores it when subsample_freq = 0); `baggingFreq` says which frequency the tuner uses.
 */
export function paramsToConfig(
  params: TunedParams,
  base: Partial<TrainConfig>,
  baggingFreq: number,
): Partial<TrainConfig> {
  return {
    ...base,
    learningRate: params.learning_rate,
    maxDepth: params.max_depth,
    numLeaves: params.num_leaves,
    scalePosWeight: params.scale_pos_weight,
    minDataInLeaf: params.min_child_samples,
    baggingFraction: params.subsample,
    baggingFreq: params.subsample < 1 ? baggingFreq : 0,
    featureFraction: params.colsample_bytree,
    ...(params.reg_lambda !== undefined ? { lambdaL2: params.reg_lambda } : {}),
    ...(params.min_child_weight !== undefined ? { minSumHessianInLeaf: params.min_child_weight } : {}),
    ...(params.n_estimators !== undefined ? { numIterations: params.n_estimators } : {}),
  };
}
