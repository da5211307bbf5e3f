import type { TreeEnsemble } from '../../core/model/tree';
import { predictBinnedMargins, trainGbdt } from '../boosting/gbdt';
import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import { complement } from './stratified-split';

/** Rows of a binned dataset (same bin mappers): how folds are cut, as lgb.cv subsets one Dataset. */
function takeBinnedRows(data: BinnedDataset, indices: ArrayLike<number>): BinnedDataset {
  const n = indices.length;
  const bins = data.bins.map((column) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = column[indices[i]];
    return out;
  });
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = data.labels[indices[i]];
  return { numRows: n, featureNames: data.featureNames, mappers: data.mappers, bins, labels };
}

/** Pre-cut train / held-out data of every fold, built once per tuning run. */
export interface FoldData {
  train: BinnedDataset;
  held: BinnedDataset;
  heldIndices: number[];
}

export function prepareFolds(data: BinnedDataset, folds: number[][]): FoldData[] {
  return folds.map((held) => ({
    train: takeBinnedRows(data, complement(data.numRows, held)),
    held: takeBinnedRows(data, held),
    heldIndices: held,
  }));
}

/** One fold of one trial: the raw margins of its held-out rows and the model that made them. */
export interface FoldOutcome {
  margins: Float64Array;
  /** Returned so that the final model reuses the very fold models the tuning scored instead of training them again. */
  model: TreeEnsemble;
}

/** Trains on a fold's training rows and scores its held-out rows. */
export function runFold(fold: FoldData, config: Partial<TrainConfig>): FoldOutcome {
  const result = trainGbdt(fold.train, config, { recordTrainLoss: false });
  return {
    margins: predictBinnedMargins(result.ensemble.baseScore, result.learnedTrees, fold.held),
    model: result.ensemble,
  };
}
