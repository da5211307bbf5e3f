import { sortedFinite } from '../table/sort-float64';

/**
 * First Wasserstein distance between two samples, scipy.stats.wasserstein_distance: ∫ |U(x) - V(x)| dx over the
 * merged sorted values. Both arrays must be sorted ascending and free of NaN.
 */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const nu = u.length;
  const nv = v.length;
  if (nu === 0 || nv === 0) throw new RangeError('wasserstein distance needs at least one value in each sample');
  let i = 0;
  let j = 0;
  let distance = 0;
  let x = Math.min(u[0], v[0]);
  // Ends at the break below, once both samples are used up.
  for (;;) {
    // Advance past every observation equal to x (right-continuous CDFs).
    // Stryker disable next-line ConditionalExpression,EqualityOperator: u[nu] is undefined and never equals x, so the scan stops there anyway
    while (i < nu && u[i] === x) i++;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: v[nv] is undefined and never equals x, so the scan stops there anyway
    while (j < nv && v[j] === x) j++;
    if (i === nu && j === nv) break;
    const next = i === nu ? v[j] : j === nv ? u[i] : Math.min(u[i], v[j]);
    distance += Math.abs(i / nu - j / nv) * (next - x);
    x = next;
  }
  return distance;
}

/** Population standard deviation (numpy's default ddof = 0), NaN skipped. */
function populationStd(data: ArrayLike<number>): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (Number.isNaN(x)) continue;
    n++;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  return Math.sqrt(m2 / n); // NaN (0 / 0) without values
}

/**
 * Evidently's "wasserstein" drift score: the Wasserstein distance divided by max(std(reference), 0.001), so the
 * score reads in reference standard deviations (drift at >= 0.1 by default).
 */
export function normalizedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const norm = Math.max(populationStd(reference), 0.001);
  return wassersteinSorted(sortedFinite(reference), sortedFinite(current)) / norm;
}
