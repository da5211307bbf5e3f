import { AGE_GROUP_LABELS, BMI_CATEGORY_LABELS } from '../schema/columns';
import { alignedCounts, type ColumnPair } from './column-pair';
import { distinctAcross } from './column-scan';
import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './drift-config';
import type { HistogramBins } from './drift-report';
import { histogramCounts, linspaceEdges } from './uniform-bins';

const DEFAULT_CATEGORY_LABELS: Record<string, readonly string[]> = {
  BMI_Category: BMI_CATEGORY_LABELS,
  Age_Group: AGE_GROUP_LABELS,
};

/**
 * Reference and current counts on common bins, for the UI: one bar per value or category for categorical
 * features and features with at most 5 distinct values, otherwise `histogramBins` equal-width bins spanning both
 * samples (numpy.histogram semantics). Missing values are not counted.
 */
export function featureHistogram(
  feature: string,
  pair: ColumnPair,
  config: DriftConfig,
): { bins: HistogramBins; referenceHistogram: number[]; currentHistogram: number[] } {
  const { ref, cur, refScan, curScan, declared } = pair;
  const fewValues = refScan.few !== null && curScan.few !== null && distinctAcross(refScan, curScan) <= 5;
  if (declared === 'cat' || fewValues) {
    const { keys, reference, current } = alignedCounts(pair);
    const names = config.categoryLabels?.[feature] ?? DEFAULT_CATEGORY_LABELS[feature];
    return {
      bins: {
        labels: keys.map((k) => (names && Number.isInteger(k) && k >= 0 && k < names.length ? names[k] : String(k))),
        edges: null,
      },
      referenceHistogram: reference,
      currentHistogram: current,
    };
  }
  let min = refScan.min;
  let max = refScan.max;
  if (curScan.count > 0) {
    min = Math.min(min, curScan.min);
    max = Math.max(max, curScan.max);
  }
  const bins = min === max ? 1 : (config.histogramBins ?? DEFAULT_DRIFT_CONFIG.histogramBins);
  const [first, last] = min === max ? [min - 0.5, max + 0.5] : roundedOutward(min, max, bins);
  const edges = linspaceEdges(first, last, bins);
  const e = Array.from(edges);
  return {
    bins: {
      labels: e.slice(0, -1).map((lo, i) => `[${fmt(lo)}, ${fmt(e[i + 1])}${i === bins - 1 ? ']' : ')'}`),
      edges: e,
    },
    referenceHistogram: Array.from(histogramCounts(ref, edges)),
    currentHistogram: Array.from(histogramCounts(cur, edges)),
  };
}

/**
 * The outer edges are stored with each batch's report and shown in the UI. Exact extremes would be one patient's
 * value, so they are moved out to the power of ten at or above the bin width, and one step further when an
 * extreme already sits on that grid (0, the file's "not measured", excepted).
 */
export function roundedOutward(min: number, max: number, bins: number): [number, number] {
  const unit = 10 ** Math.ceil(Math.log10((max - min) / bins));
  let first = Math.floor(min / unit) * unit;
  if (first === min && min !== 0) first -= unit;
  let last = Math.ceil(max / unit) * unit;
  if (last === max) last += unit;
  // Rounding in binary can put a multiple a hair inside the data; a grid step outward settles it.
  if (first > min) first -= unit;
  if (last < max) last += unit;
  return [first, last];
}

function fmt(x: number): string {
  return Number.parseFloat(x.toPrecision(4)).toString();
}
