import { normalCdf } from './normal-distribution';
import { unionKeys, valueCounts } from './value-counts';

interface ZTestResult {
  /** (p_ref - p_cur) / sqrt(P(1-P)(1/n1 + 1/n2)), P pooled; 0 when both samples hold the same single value. */
  statistic: number;
  pValue: number;
}

/**
 * Evidently's "z" test for a feature with at most two values: the smallest value counts as 0, every other value as 1,
 * then a pooled two-proportion Z-test, p = 2·(1 - Φ(|z|)) exactly as Evidently writes it.
 */
export function twoProportionZTest(reference: ArrayLike<number>, current: ArrayLike<number>): ZTestResult {
  const ref = valueCounts(reference);
  const cur = valueCounts(current);
  // An empty sample is refused, and one value shared by both samples gives no variance, in proportionsZTest.
  const first = unionKeys(ref, cur)[0];
  let n1 = 0;
  let ones1 = 0;
  for (const [k, c] of ref) {
    n1 += c;
    if (k !== first) ones1 += c;
  }
  let n2 = 0;
  let ones2 = 0;
  for (const [k, c] of cur) {
    n2 += c;
    if (k !== first) ones2 += c;
  }
  return proportionsZTest(ones1, n1, ones2, n2);
}

/** Pooled two-proportion Z-test on counts of "successes" x out of n in each sample. */
export function proportionsZTest(x1: number, n1: number, x2: number, n2: number): ZTestResult {
  if (n1 === 0 || n2 === 0) throw new RangeError('z-test needs at least one value in each sample');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  // Both samples all-0 or all-1: no difference and no variance.
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
