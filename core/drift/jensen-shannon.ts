import { histogramCounts, sturgesEdges } from './uniform-bins';
import { totalOf, unionKeys, valueCounts } from './value-counts';

/**
 * scipy.spatial.distance.jensenshannon(p, q, base): both vectors normalised to sum 1, m = (p+q)/2,
 * sqrt((KL(p||m) + KL(q||m)) / 2 / log(base)). With base 2 it lies in [0, 1].
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  if (p.length !== q.length) throw new RangeError('jensenShannonDistance: vectors differ in length');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let js = 0;
  // Stryker disable next-line EqualityOperator: p[p.length] is undefined, so that share is NaN and adds nothing
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  }
  js /= 2;
  js /= Math.log(base);
  return Math.sqrt(Math.max(0, js));
}

/**
 * Evidently's binning for the Jensen-Shannon test (get_binned_data without zero filling): a numerical feature
 * with more than 20 distinct reference values gets numpy 'sturges' bins over both samples together; anything
 * else is compared category by category over the union of observed values. Returns counts of non-missing values:
 * jensenShannonDistance turns each vector into shares itself.
 */
function evidentlyBinnedCounts(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  numerical: boolean,
): { reference: Float64Array; current: Float64Array } {
  const refCounts = valueCounts(reference);
  const nRef = totalOf(refCounts);
  if (numerical && refCounts.size > 20) {
    // Only the range and size of the current sample are needed here: no per-value map of a big batch.
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of refCounts.keys()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    let nCur = 0;
    for (let i = 0; i < current.length; i++) {
      const v = current[i];
      if (Number.isNaN(v)) continue;
      nCur++;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const edges = sturgesEdges(min, max, nRef + nCur);
    return { reference: histogramCounts(reference, edges), current: histogramCounts(current, edges) };
  }
  const curCounts = valueCounts(current);
  const keys = unionKeys(refCounts, curCounts);
  return {
    reference: Float64Array.from(keys, (k) => refCounts.get(k) ?? 0),
    current: Float64Array.from(keys, (k) => curCounts.get(k) ?? 0),
  };
}

/** Evidently's "jensenshannon" drift score on raw samples (drift at >= 0.1 by default). */
export function jensenShannonDrift(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  numerical: boolean,
  base = 2,
): number {
  const counts = evidentlyBinnedCounts(reference, current, numerical);
  return jensenShannonDistance(counts.reference, counts.current, base);
}
