/**
 * One training configuration with LightGBM's defaults (include/LightGBM/config.h), so a reader who knows
 * LightGBM can predict what every knob does. Names are LightGBM's, camel-cased; sklearn aliases in comments.
 */
export interface TrainConfig {
  /** num_iterations (n_estimators): maximum number of boosting rounds. */
  numIterations: number;
  /** learning_rate (shrinkage): leaf outputs are multiplied by it. */
  learningRate: number;
  /** num_leaves: maximum leaves per tree (leaf-wise growth stops there). */
  numLeaves: number;
  /** max_depth: <= 0 means unlimited. */
  maxDepth: number;
  /** min_data_in_leaf (min_child_samples). */
  minDataInLeaf: number;
  /** min_sum_hessian_in_leaf (min_child_weight). */
  minSumHessianInLeaf: number;
  /** lambda_l1 (reg_alpha). */
  lambdaL1: number;
  /** lambda_l2 (reg_lambda). */
  lambdaL2: number;
  /** min_gain_to_split (min_split_gain). */
  minGainToSplit: number;
  /** feature_fraction (colsample_bytree): share of features drawn per tree. */
  featureFraction: number;
  /** bagging_fraction (subsample): share of rows drawn every baggingFreq rounds. */
  baggingFraction: number;
  /** bagging_freq (subsample_freq): 0 disables bagging, as in LightGBM (subsample alone does nothing). */
  baggingFreq: number;
  /** scale_pos_weight: gradient/hessian weight of positive rows. */
  scalePosWeight: number;
  /** boost_from_average: start from log(p/(1-p)) of the (unweighted) label mean. */
  boostFromAverage: boolean;
  /** max_bin and min_data_in_bin of the histogram binning. */
  maxBin: number;
  minDataInBin: number;
  /** early_stopping_round: 0 disables; otherwise stop when the validation log-loss has not improved for this many rounds. */
  earlyStoppingRounds: number;
  /** seed: every random choice (feature and row sampling) derives from it. */
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  numIterations: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  minSumHessianInLeaf: 1e-3,
  lambdaL1: 0,
  lambdaL2: 0,
  minGainToSplit: 0,
  featureFraction: 1,
  baggingFraction: 1,
  baggingFreq: 0,
  scalePosWeight: 1,
  boostFromAverage: true,
  maxBin: 255,
  minDataInBin: 3,
  earlyStoppingRounds: 0,
  seed: 42,
});

export function resolveConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...overrides };
  const problems: string[] = [];
  if (!(config.numIterations >= 1)) problems.push('numIterations must be >= 1');
  if (!(config.learningRate > 0)) problems.push('learningRate must be > 0');
  if (!(config.numLeaves >= 2)) problems.push('numLeaves must be >= 2');
  if (!(config.minDataInLeaf >= 1)) problems.push('minDataInLeaf must be >= 1');
  if (!(config.featureFraction > 0 && config.featureFraction <= 1)) problems.push('featureFraction must be in (0, 1]');
  if (!(config.baggingFraction > 0 && config.baggingFraction <= 1)) problems.push('baggingFraction must be in (0, 1]');
  if (!(config.scalePosWeight > 0)) problems.push('scalePosWeight must be > 0');
  if (!(config.maxBin >= 2 && config.maxBin <= 255))
    problems.push('maxBin must be in [2, 255] (bins are stored as bytes)');
  if (problems.length > 0) throw new Error(`Invalid training configuration: ${problems.join('; ')}`);
  return config;
}
