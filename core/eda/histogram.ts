import type { ClassHistogramBin, HistogramBin } from './eda-report';

/**
 * Bin edges for a chart. Real-valued features: `bins` equal bins from min to max, numpy.histogram(bins=k) (a constant
 * sample gets [v-0.5, v+0.5]). Integer features: whole-number-wide bins centred on integers (edges at k + 0.5), so a
 * bar never straddles part of an integer; at most `bins` of them.
 */
export function histogramEdges(min: number, max: number, bins: number, integer: boolean): number[] {
  if (integer) {
    const width = Math.max(1, Math.ceil((max - min + 1) / bins));
    const count = Math.max(1, Math.ceil((max - min + 1) / width));
    const edges: number[] = [];
    for (let i = 0; i <= count; i++) edges.push(min - 0.5 + i * width);
    return edges;
  }
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges: number[] = [];
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges.push(first + i * step);
  edges.push(last);
  return edges;
}

/** Counts of ascending values per bin [e_i, e_i+1), the last bin closed; values outside the edges are not counted. */
export function countSorted(sorted: ArrayLike<number>, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  let b = 0;
  const last = edges[bins];
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i];
    if (x < edges[0]) continue;
    if (x > last) break;
    while (b < bins - 1 && x >= edges[b + 1]) b++;
    counts[b]++;
  }
  return counts;
}

export function toBins(edges: readonly number[], counts: readonly number[]): HistogramBin[] {
  return counts.map((count, i) => ({ x0: edges[i], x1: edges[i + 1], count }));
}

export function toClassBins(
  edges: readonly number[],
  negative: readonly number[],
  positive: readonly number[],
  negativeTotal: number,
  positiveTotal: number,
): ClassHistogramBin[] {
  return negative.map((neg, i) => ({
    x0: edges[i],
    x1: edges[i + 1],
    negative: neg,
    positive: positive[i],
    negativeShare: negativeTotal ? neg / negativeTotal : 0,
    positiveShare: positiveTotal ? positive[i] / positiveTotal : 0,
  }));
}

/** Edges over the range of ascending values (none for an empty sample). */
export function edgesForSorted(sorted: ArrayLike<number>, bins: number, integer: boolean): number[] {
  if (sorted.length === 0) return [];
  return histogramEdges(sorted[0], sorted[sorted.length - 1], bins, integer);
}
