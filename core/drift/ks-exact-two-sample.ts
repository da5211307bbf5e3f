// Exact null distribution of the two-sample Kolmogorov-Smirnov statistic, two-sided, as scipy's ks_2samp
// computes it in 'exact' mode (Hodges 1958; for unequal sizes the 1-p "inside" recursion of Viehmann 2021,
// arXiv:2102.08037, which keeps every intermediate a probability, so nothing overflows).

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * P(D >= h / lcm(m, n)) under H0 for sample sizes m and n, where g = gcd(m, n) and 0 <= h <= lcm(m, n).
 * For m = n this is the closed-form reflection sum; otherwise the lattice-path recursion.
 */
export function ksTwoSampleExactSf(m: number, n: number, h: number): number {
  if (h === 0) return 1;
  if (m === n) return probOutsideSquare(n, h);
  return probOutsideInside(m, n, gcd(m, n), h);
}

/** Equal sizes: 2·Σ_k (-1)^(k-1) C(2n, n-kh)/C(2n, n), evaluated Horner-style to avoid cancellation (scipy). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k -= 1;
  }
  return 2 * P;
}

/** Proportion of lattice paths (0,0)→(m,n) that touch |x/m - y/n| >= h/lcm(m,n). */
function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj; // minj is 0 on the first row
  // One entry per lattice row j = 0..n (scipy allocates min(2·maxj + 2, n + 1), never more).
  const A = new Float64Array(n + 1).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a row the band misses sets every entry to 1 (outside), so the recursion ends at 1 without this return as well
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    // Where the band got shorter, the entries it left are outside it again (none where it did not).
    // Stryker disable next-line ArithmeticOperator: entries past the band are 1 (outside) already, so setting more of them changes nothing
    const shortenedBy = lastlen - curlen;
    // Stryker disable next-line EqualityOperator: entries past the band are 1 (outside) already, so setting one more changes nothing
    for (let q = curlen; q < curlen + shortenedBy; q++) A[q] = 1;
  }
  return A[maxj - minj - 1];
}
