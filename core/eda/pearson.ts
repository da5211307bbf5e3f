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
  return pearsonFromSums(n, sx, sy, sxx, syy, sxy);
}

/** Rows per block: 9 columns of this many doubles stay in the L2 cache while every pair is summed. */
const BLOCK = 2048;

/**
 * Every pairwise `pearson` r of `columns` (missing = NaN) at once, each column shifted by its `centres` entry.
 * Rows go in blocks: a block's values are centred into small buffers with missing set to 0 and a 0/1 presence flag,
 * then each pair's complete-case sums are plain products, with no branch per row. The scattered missing values
 * (half of Insulin) made the per-pair skip in `pearson` mispredict often; this runs at a steady pace and reads each
 * large column once instead of once per pair.
 */
export function pearsonMatrix(
  columns: readonly ArrayLike<number>[],
  centres: readonly number[],
  rowCount: number,
): PearsonResult[][] {
  const k = columns.length;
  const pairs = (k * (k + 1)) / 2;
  const sums = new Float64Array(pairs * 6); // per pair: n, sx, sy, sxx, syy, sxy
  const centred = columns.map(() => new Float64Array(BLOCK));
  const present = columns.map(() => new Float64Array(BLOCK));
  for (let start = 0; start < rowCount; start += BLOCK) {
    const size = Math.min(BLOCK, rowCount - start);
    for (let c = 0; c < k; c++) {
      const source = columns[c];
      const centre = centres[c];
      const u = centred[c];
      const m = present[c];
      for (let i = 0; i < size; i++) {
        const v = source[start + i];
        const ok = Number.isNaN(v) ? 0 : 1;
        m[i] = ok;
        u[i] = ok ? v - centre : 0;
      }
    }
    let p = 0;
    for (let a = 0; a < k; a++) {
      // The diagonal needs only a column's own sums.
      const ua0 = centred[a];
      const ma0 = present[a];
      let n0 = 0;
      let s0 = 0;
      let ss0 = 0;
      for (let i = 0; i < size; i++) {
        const x = ua0[i];
        n0 += ma0[i];
        s0 += x;
        ss0 += x * x;
      }
      const d = p * 6;
      sums[d] += n0;
      sums[d + 1] += s0;
      sums[d + 2] += s0;
      sums[d + 3] += ss0;
      sums[d + 4] += ss0;
      sums[d + 5] += ss0;
      p++;
      for (let b = a + 1; b < k; b++, p++) {
        const ua = centred[a];
        const ub = centred[b];
        const ma = present[a];
        const mb = present[b];
        let n = 0;
        let sx = 0;
        let sy = 0;
        let sxx = 0;
        let syy = 0;
        let sxy = 0;
        for (let i = 0; i < size; i++) {
          const x = ua[i];
          const y = ub[i];
          const fa = ma[i];
          const fb = mb[i];
          n += fa * fb;
          sx += x * fb;
          sy += y * fa;
          sxx += x * x * fb;
          syy += y * y * fa;
          sxy += x * y;
        }
        const o = p * 6;
        sums[o] += n;
        sums[o + 1] += sx;
        sums[o + 2] += sy;
        sums[o + 3] += sxx;
        sums[o + 4] += syy;
        sums[o + 5] += sxy;
      }
    }
  }
  const result: PearsonResult[][] = columns.map(() => new Array<PearsonResult>(k));
  let p = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++, p++) {
      const o = p * 6;
      const r = pearsonFromSums(sums[o], sums[o + 1], sums[o + 2], sums[o + 3], sums[o + 4], sums[o + 5]);
      result[a][b] = r;
      result[b][a] = r;
    }
  }
  return result;
}

function pearsonFromSums(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): PearsonResult {
  if (n < 2) return { r: null, n };
  const cxx = sxx - (sx * sx) / n;
  const cyy = syy - (sy * sy) / n;
  const cxy = sxy - (sx * sy) / n;
  // Relative guard: a constant column leaves only rounding noise in its centred sum of squares.
  if (!(cxx > 1e-12 * sxx) || !(cyy > 1e-12 * syy)) return { r: null, n };
  const r = cxy / Math.sqrt(cxx * cyy);
  return { r: Math.max(-1, Math.min(1, r)), n };
}
