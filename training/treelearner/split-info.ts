import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import type { HistogramLayout } from './histogram';

/** The best split of one leaf (LightGBM's SplitInfo). `gain` is net of the parent's gain and min_gain_to_split. */
export interface SplitInfo {
  gain: number;
  feature: number;
  thresholdBin: number;
  /** Where NaN rows go (only meaningful for features with a NaN bin). */
  defaultLeft: boolean;
  leftG: number;
  leftH: number;
  leftCount: number;
  rightG: number;
  rightH: number;
  rightCount: number;
}

export function noSplit(): SplitInfo {
  return {
    gain: Number.NEGATIVE_INFINITY,
    feature: -1,
    thresholdBin: -1,
    defaultLeft: true,
    leftG: 0,
    leftH: 0,
    leftCount: 0,
    rightG: 0,
    rightH: 0,
    rightCount: 0,
  };
}

/** Relative tolerance below which a split's gain counts as floating-point noise. */
const GAIN_TOLERANCE = 1e-10;

/** LightGBM's ThresholdL1: soft-thresholding of the gradient sum by lambda_l1. */
function thresholdL1(g: number, l1: number): number {
  const reg = Math.max(0, Math.abs(g) - l1);
  return Math.sign(g) * reg;
}

/** CalculateSplittedLeafOutput without max_delta_step / path smoothing: -T(G) / (H + lambda_l2). */
export function leafOutput(g: number, h: number, l1: number, l2: number): number {
  return -thresholdL1(g, l1) / (h + l2);
}

/** GetLeafGain: T(G)^2 / (H + lambda_l2). */
export function leafGain(g: number, h: number, l1: number, l2: number): number {
  if (l1 === 0) return (g * g) / (h + l2);
  const t = thresholdL1(g, l1);
  return (t * t) / (h + l2);
}

/**
 * FeatureHistogram::FindBestThresholdSequentially for one numerical feature: the reverse scan (NaN
 * goes left) and, when the feature has a NaN bin, the forward scan (NaN goes right). Updates `best`
 * when a strictly better split is found, so on ties the earlier feature and the higher threshold win.
 */
export function findBestThreshold(
  dataset: BinnedDataset,
  layout: HistogramLayout,
  hist: Float64Array,
  feature: number,
  sumG: number,
  sumH: number,
  count: number,
  config: TrainConfig,
  minGainShift: number,
  best: SplitInfo,
): void {
  const mapper = dataset.mappers[feature];
  if (mapper.trivial) return;
  const base = layout.offsets[feature] * 3;
  const valueBins = mapper.nanBin >= 0 ? mapper.numBins - 1 : mapper.numBins;
  const { minDataInLeaf, minSumHessianInLeaf, lambdaL1: l1, lambdaL2: l2 } = config;
  // Gains within rounding noise of the parent's are not information (a pure leaf "gains" ~1e-15 from any split).
  const minGain = minGainShift + GAIN_TOLERANCE * Math.max(1, Math.abs(minGainShift));

  let rg = 0;
  let rh = 0;
  let rc = 0;
  for (let t = valueBins - 1; t >= 1; t--) {
    const j = base + t * 3;
    rg += hist[j];
    rh += hist[j + 1];
    rc += hist[j + 2];
    if (rc < minDataInLeaf || rh < minSumHessianInLeaf) continue;
    const lc = count - rc;
    const lh = sumH - rh;
    if (lc < minDataInLeaf || lh < minSumHessianInLeaf) break;
    const lg = sumG - rg;
    const gain = leafGain(lg, lh, l1, l2) + leafGain(rg, rh, l1, l2);
    if (gain > minGain && gain - minGainShift > best.gain) {
      setBest(best, gain - minGainShift, feature, t - 1, true, lg, lh, lc, rg, rh, rc);
    }
  }
  if (mapper.nanBin < 0) return;
  let lg = 0;
  let lh = 0;
  let lc = 0;
  for (let t = 0; t <= valueBins - 2; t++) {
    const j = base + t * 3;
    lg += hist[j];
    lh += hist[j + 1];
    lc += hist[j + 2];
    if (lc < minDataInLeaf || lh < minSumHessianInLeaf) continue;
    const rc2 = count - lc;
    const rh2 = sumH - lh;
    if (rc2 < minDataInLeaf || rh2 < minSumHessianInLeaf) break;
    const rg2 = sumG - lg;
    const gain = leafGain(lg, lh, l1, l2) + leafGain(rg2, rh2, l1, l2);
    if (gain > minGain && gain - minGainShift > best.gain) {
      setBest(best, gain - minGainShift, feature, t, false, lg, lh, lc, rg2, rh2, rc2);
    }
  }
}

/** Records a better split in `best` (called only on an improvement, so off the scan's hot path). */
function setBest(
  best: SplitInfo,
  gain: number,
  feature: number,
  thresholdBin: number,
  defaultLeft: boolean,
  leftG: number,
  leftH: number,
  leftCount: number,
  rightG: number,
  rightH: number,
  rightCount: number,
): void {
  best.gain = gain;
  best.feature = feature;
  best.thresholdBin = thresholdBin;
  best.defaultLeft = defaultLeft;
  best.leftG = leftG;
  best.leftH = leftH;
  best.leftCount = leftCount;
  best.rightG = rightG;
  best.rightH = rightH;
  best.rightCount = rightCount;
}
