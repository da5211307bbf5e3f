import { gcd, ksTwoSampleExactSf } from './ks-exact-two-sample';
import { kstwoSf } from './kstwo-distribution';
import { roundHalfEven } from './round-half-even';
import { type CountsAgainst, countAgainst, type SortedSample, sortedSample } from './sorted-sample';

interface KsResult {
  /** sup |F_ref - F_cur|; in exact mode rounded to h / lcm(n1, n2) as scipy reports it. */
  statistic: number;
  pValue: number;
  /** Which null distribution produced the p-value. */
  mode: 'exact' | 'asymp';
  referenceCount: number;
  currentCount: number;
}

/** scipy's 'auto' switch: exact when both samples have at most this many observations. */
export const KS_MAX_EXACT_N = 10000;

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, with scipy.stats.ks_2samp(method='auto') semantics.
 * NaN observations are dropped first (as Evidently drops missing values before testing).
 */
export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>): KsResult {
  return ksAgainstReference(sortedSample(reference), current);
}

/**
 * The same test with the reference prepared once. The current sample is never sorted: D is attained at the
 * reference's distinct values (ECDF at r_k) or just before them (current ECDF at r_k^-), so one binary search per
 * current value gives exactly the extreme values scipy's full merge produces.
 */
function ksAgainstReference(reference: SortedSample, current: ArrayLike<number>): KsResult {
  return ksFromCounts(reference, countAgainst(reference, current));
}

/** The test from the current sample's counts at the reference's distinct values (see ReferenceLocator). */
export function ksFromCounts(reference: SortedSample, counts: CountsAgainst): KsResult {
  const n1 = reference.count;
  const n2 = counts.count;
  if (n1 === 0 || n2 === 0) throw new RangeError('ks test needs at least one non-missing value in each sample');
  let maxDiff = 0; // max(F_ref - F_cur)
  let minDiff = 0; // min(F_ref - F_cur)
  let previousRef = 0;
  for (let k = 0; k < reference.values.length; k++) {
    // Just below r_k: reference ECDF still at its previous step, current ECDF at #cur < r_k.
    const before = previousRef / n1 - counts.below[k] / n2;
    const at = reference.cumulative[k] / n1 - counts.atOrBelow[k] / n2;
    if (before > maxDiff) maxDiff = before;
    if (before < minDiff) minDiff = before;
    if (at > maxDiff) maxDiff = at;
    if (at < minDiff) minDiff = at;
    previousRef = reference.cumulative[k];
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  let d = Math.max(minS, maxDiff);
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    const p = ksTwoSampleExactSf(n1, n2, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, mode: 'exact', referenceCount: n1, currentCount: n2 };
    // scipy falls back to the asymptotic distribution when the exact computation fails; so do we.
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kstwoSf(roundHalfEven(en), d);
  return {
    statistic: d,
    pValue: Math.min(1, Math.max(0, p)),
    mode: 'asymp',
    referenceCount: n1,
    currentCount: n2,
  };
}
