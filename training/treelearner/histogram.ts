import type { BinnedDataset } from '../io/binned-dataset';

/**
 * Per-leaf histograms, LightGBM's FeatureHistogram data: for every (feature, bin) the sums of gradient
 * and hessian and the row count, interleaved as [g, h, count] in one Float64Array. Counts are exact
 * (LightGBM estimates them from hessians; exact counts make min_data_in_leaf exact and cost nothing here).
 */
export interface HistogramLayout {
  /** First bin of each feature in the flat histogram. */
  offsets: Int32Array;
  totalBins: number;
}

export function histogramLayout(dataset: BinnedDataset): HistogramLayout {
  const offsets = new Int32Array(dataset.mappers.length);
  let total = 0;
  for (let f = 0; f < dataset.mappers.length; f++) {
    offsets[f] = total;
    total += dataset.mappers[f].numBins;
  }
  return { offsets, totalBins: total };
}

export function allocateHistogram(layout: HistogramLayout): Float64Array {
  return new Float64Array(layout.totalBins * 3);
}

/**
 * Fills `hist` for the rows indices[begin, begin+count) over the features in `features`.
 * `gScratch`/`hScratch` receive the leaf's gradients gathered once so the per-feature loops are sequential.
 */
export function constructHistogram(
  dataset: BinnedDataset,
  layout: HistogramLayout,
  features: Int32Array,
  indices: Int32Array,
  begin: number,
  count: number,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  gScratch: Float64Array,
  hScratch: Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    const r = indices[begin + i];
    gScratch[i] = grad[r];
    hScratch[i] = hess[r];
  }
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const column = dataset.bins[f];
    const base = layout.offsets[f] * 3;
    const end = base + dataset.mappers[f].numBins * 3;
    hist.fill(0, base, end);
    for (let i = 0; i < count; i++) {
      const j = base + column[indices[begin + i]] * 3;
      hist[j] += gScratch[i];
      hist[j + 1] += hScratch[i];
      hist[j + 2] += 1;
    }
  }
}

/** The subtraction trick: larger child = parent - smaller child, over the used features, in place in `parent`. */
export function subtractHistogram(
  dataset: BinnedDataset,
  layout: HistogramLayout,
  features: Int32Array,
  parent: Float64Array,
  child: Float64Array,
): void {
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const base = layout.offsets[f] * 3;
    const end = base + dataset.mappers[f].numBins * 3;
    for (let j = base; j < end; j++) parent[j] -= child[j];
  }
}
