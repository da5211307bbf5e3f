import type { SummaryStats } from './eda-report';

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Sample standard deviation (ddof = 1), two-pass; null below 2 values. */
export function sampleStd(values: ArrayLike<number>): number | null {
  const m = mean(values);
  if (m === null || values.length < 2) return null;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m;
    m2 += d * d;
  }
  return Math.sqrt(m2 / (values.length - 1));
}

/** Quantile of ascending values with linear interpolation between order statistics (pandas/numpy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, n - 1);
  const fraction = position - lo;
  return fraction === 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * fraction;
}

/**
 * Bias-corrected sample skewness, the adjusted Fisher-Pearson G1 = sqrt(n(n-1))/(n-2) · m3/m2^1.5 with m2, m3 the
 * biased central moments, as pandas' Series.skew() and scipy.stats.skew(bias=False). pandas gives 0 for a constant
 * sample and NaN (here null) below 3 values.
 */
export function skewness(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 3) return null;
  const { s2, s3 } = centralSums(values, mean(values) as number);
  return adjustedG1(n, s2, s3);
}

/** Sums of the squared and of the cubed deviations from `m`. */
function centralSums(values: ArrayLike<number>, m: number): { s2: number; s3: number } {
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
  }
  return { s2, s3 };
}

/** G1 from those sums (m2 = s2/n, m3 = s3/n); 0 for a constant sample. */
function adjustedG1(n: number, s2: number, s3: number): number {
  return s2 === 0 ? 0 : ((Math.sqrt(n * (n - 1)) / (n - 2)) * (s3 / n)) / (s2 / n) ** 1.5;
}

/** All summary statistics of ascending, NaN-free values (one pass for the mean, one for the moments). */
export function summariseSorted(sorted: Float64Array): SummaryStats {
  const n = sorted.length;
  const m = mean(sorted);
  let std: number | null = null;
  let skew: number | null = null;
  if (m !== null && n >= 2) {
    const { s2, s3 } = centralSums(sorted, m);
    std = Math.sqrt(s2 / (n - 1));
    // The same G1 as skewness(), from the same sums.
    if (n >= 3) skew = adjustedG1(n, s2, s3);
  }
  return {
    n,
    mean: m,
    std,
    min: n ? sorted[0] : null,
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: n ? sorted[n - 1] : null,
    skewness: skew,
  };
}
