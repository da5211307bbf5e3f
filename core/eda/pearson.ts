interface PearsonResult {
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
 * then each pair's complete-case sums are plain products, with no branch per row (the scattered missing values,
 * half of Insulin, made the per-pair skip in `pearson` mispredict often), and each large column is read once
 * instead of once per pair. Where a column has no missing value in the block, the sums that involve only the other
 * column are that column's own block sums, so the pair loop computes fewer products.
 */
export function pearsonMatrix(
  columns: readonly ArrayLike<number>[],
  centres: readonly number[],
  rowCount: number,
): PearsonResult[][] {
  const k = columns.length;
  const sums = new Float64Array(k * k * 6); // per pair (a <= b): n, sx, sy, sxx, syy, sxy
  const centred = columns.map(() => new Float64Array(BLOCK));
  const present = columns.map(() => new Float64Array(BLOCK));
  const count = new Float64Array(k);
  const sum = new Float64Array(k);
  const squares = new Float64Array(k);
  for (let start = 0; start < rowCount; start += BLOCK) {
    const size = Math.min(BLOCK, rowCount - start);
    for (let c = 0; c < k; c++) {
      const source = columns[c];
      const centre = centres[c];
      const u = centred[c];
      const m = present[c];
      let n = 0;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < size; i++) {
        const v = source[start + i];
        const ok = Number.isNaN(v) ? 0 : 1;
        const x = ok ? v - centre : 0;
        m[i] = ok;
        u[i] = x;
        n += ok;
        s1 += x;
        s2 += x * x;
      }
      count[c] = n;
      sum[c] = s1;
      squares[c] = s2;
    }
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        const o = (a * k + b) * 6;
        const completeA = count[a] === size;
        const completeB = count[b] === size;
        const ua = centred[a];
        const ub = centred[b];
        let sxy = 0;
        if (a === b || (completeA && completeB)) {
          if (a === b) sxy = squares[a];
          else for (let i = 0; i < size; i++) sxy += ua[i] * ub[i];
          sums[o] += a === b ? count[a] : size;
          sums[o + 1] += sum[a];
          sums[o + 2] += sum[b];
          sums[o + 3] += squares[a];
          sums[o + 4] += squares[b];
        } else if (completeA || completeB) {
          // One side complete: the pairs are the other side's present rows, so the other side's sums are its own
          // block sums, and only the complete side's sums over those rows need the loop.
          const full = completeA ? ua : ub;
          const partial = completeA ? ub : ua;
          const other = completeA ? b : a;
          const flags = present[other];
          let sFull = 0;
          let ssFull = 0;
          for (let i = 0; i < size; i++) {
            const x = full[i];
            const f = flags[i];
            sFull += x * f;
            ssFull += x * x * f;
            sxy += x * partial[i];
          }
          const fullAt = completeA ? 1 : 2; // 1: sx and sxx are the complete side's; 2: sy and syy are
          sums[o] += count[other];
          sums[o + fullAt] += sFull;
          sums[o + 3 - fullAt] += sum[other];
          sums[o + 2 + fullAt] += ssFull;
          sums[o + 5 - fullAt] += squares[other];
        } else {
          const ma = present[a];
          const mb = present[b];
          let n = 0;
          let sx = 0;
          let sy = 0;
          let sxx = 0;
          let syy = 0;
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
          sums[o] += n;
          sums[o + 1] += sx;
          sums[o + 2] += sy;
          sums[o + 3] += sxx;
          sums[o + 4] += syy;
        }
        sums[o + 5] += sxy;
      }
    }
  }
  const result: PearsonResult[][] = columns.map(() => new Array<PearsonResult>(k));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const o = (a * k + b) * 6;
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
