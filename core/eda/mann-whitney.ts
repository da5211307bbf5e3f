import { normalSf } from '../drift/normal-distribution';
import { sortedFinite } from '../table/sort-float64';
import type { MannWhitneyResult } from './eda-report';

/**
 * Two-sided Mann-Whitney U test as scipy.stats.mannwhitneyu(x, y, method='asymptotic') with use_continuity=True:
 * U of x from average ranks, z = (max(U_x, U_y) − n_x·n_y/2 − 0.5) / σ with the tie-corrected
 * σ = sqrt(n_x·n_y/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1)))), p = 2·P(Z > z) capped at 1.
 * Both inputs ascending and NaN-free; ranks come from one merge walk, so no index sort is needed.
 * null when either sample is empty or every value is tied (σ = 0).
 */
export function mannWhitneySorted(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult | null {
  const nx = x.length;
  const ny = y.length;
  if (nx === 0 || ny === 0) return null;
  const n = nx + ny;
  let i = 0;
  let j = 0;
  let rankedBelow = 0;
  let rankSumX = 0;
  let tieTerm = 0;
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];
    let cx = 0;
    let cy = 0;
    while (i < nx && x[i] === v) {
      i++;
      cx++;
    }
    while (j < ny && y[j] === v) {
      j++;
      cy++;
    }
    const t = cx + cy;
    // Ranks rankedBelow+1 .. rankedBelow+t share their average.
    rankSumX += cx * (rankedBelow + (t + 1) / 2);
    tieTerm += t * t * t - t;
    rankedBelow += t;
  }
  const u = rankSumX - (nx * (nx + 1)) / 2;
  const uMax = Math.max(u, nx * ny - u);
  const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(sigma > 0)) return null;
  const z = (uMax - (nx * ny) / 2 - 0.5) / sigma;
  const pValue = Math.min(1, 2 * normalSf(z));
  return { u, z, pValue };
}

/** The same test for unsorted samples (NaN dropped). */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult | null {
  return mannWhitneySorted(sortedFinite(x), sortedFinite(y));
}
