export interface PearsonResult {
  /** null when fewer than 2 complete pairs or either side is constant over them. */
  r: number | null;
  /** Complete pairs used. */
  n: number;
}

/**
 * Pearson r over the pairs where both values are present (not NaN), as pandas' DataFrame.corr() (pairwise-complete).
 * One pass on values shifted by a centre near the mean (`shiftX`, `shiftY`, e.g. each column's own mean), which keeps
 * the sums of squares free of cancellation without a second pass per pair.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, shiftX = 0, shiftY = 0): PearsonResult {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const a = x[i] - shiftX;
    const b = y[i] - shiftY;
    // A missing value on either side makes the pair incomplete.
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (n < 2) return { r: null, n };
  const cxx = sxx - (sx * sx) / n;
  const cyy = syy - (sy * sy) / n;
  const cxy = sxy - (sx * sy) / n;
  // Relative guard: a constant column leaves only rounding noise in its centred sum of squares.
  if (!(cxx > 1e-12 * sxx) || !(cyy > 1e-12 * syy)) return { r: null, n };
  const r = cxy / Math.sqrt(cxx * cyy);
  return { r: Math.max(-1, Math.min(1, r)), n };
}
