import { chi2Sf } from './chi2-distribution';
import { totalOf, unionKeys, valueCounts } from './value-counts';

interface ChiSquareResult {
  /** Pearson's statistic; Infinity when the current sample has a category the reference never had. */
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Evidently's "chisquare" drift test: scipy.stats.chisquare(f_obs = current counts, f_exp = reference counts scaled
 * to the current size) over the union of categories, dof = categories - 1, no continuity correction.
 * A category absent from the reference has expected count 0, so the statistic is infinite and p = 0 (scipy agrees).
 */
export function chiSquareGoodnessOfFit(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  return chiSquareFromCounts(valueCounts(reference), valueCounts(current));
}

export function chiSquareFromCounts(reference: Map<number, number>, current: Map<number, number>): ChiSquareResult {
  const nRef = totalOf(reference);
  const nCur = totalOf(current);
  if (nRef === 0 || nCur === 0) throw new RangeError('chi-square test needs at least one value in each sample');
  const keys = unionKeys(reference, current);
  const dof = keys.length - 1;
  // One category in both samples: identical distributions, nothing to test (scipy would return NaN).
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  const scale = nCur / nRef;
  let statistic = 0;
  for (const key of keys) {
    const expected = (reference.get(key) ?? 0) * scale;
    const observed = current.get(key) ?? 0;
    const d = observed - expected;
    // A key comes from one of the samples, so where the reference has none the current sample has some: d^2 / 0 is
    // +Infinity, and chi2Sf(Infinity) is 0.
    statistic += (d * d) / expected;
  }
  return { statistic, pValue: chi2Sf(statistic, dof), dof };
}

/**
 * scipy.stats.chi2_contingency(table, correction=True) for an r x c table of counts: expected counts from the
 * margins, dof = (r-1)(c-1), and Yates' continuity correction when dof == 1 (each |observed - expected| shrunk by
 * up to 0.5 towards the expected value). Throws when an expected count is 0 (scipy raises there too).
 */
export function chi2Contingency(table: readonly (readonly number[])[], correction = true): ChiSquareResult {
  const rows = table.length;
  const cols = rows > 0 ? table[0].length : 0;
  if (rows === 0 || cols === 0) throw new RangeError('chi2Contingency: empty table');
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    if (table[r].length !== cols) throw new RangeError('chi2Contingency: ragged table');
    for (let c = 0; c < cols; c++) {
      const v = table[r][c];
      if (!(v >= 0)) throw new RangeError(`chi2Contingency: cell [${r}][${c}] is ${v}; counts must be >= 0`);
      rowSums[r] += v;
      colSums[c] += v;
      total += v;
    }
  }
  const dof = rows * cols - rows - cols + 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  let statistic = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const expected = (rowSums[r] * colSums[c]) / total;
      if (expected === 0) {
        throw new RangeError(`chi2Contingency: expected count of cell [${r}][${c}] is 0 (an empty row or column)`);
      }
      let observed = table[r][c];
      if (correction && dof === 1) {
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      const d = observed - expected;
      statistic += (d * d) / expected;
    }
  }
  return { statistic, pValue: chi2Sf(statistic, dof), dof };
}
