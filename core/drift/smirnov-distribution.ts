/**
 * Survival function of the one-sided Smirnov statistic D+_n: P(D+_n >= x), as scipy.special.smirnov.
 * Birnbaum-Tingey sum, x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v); every term is positive,
 * so evaluating the terms in logarithms keeps ~1e-13 relative accuracy without scipy's double-double arithmetic.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  if (nx <= 1) {
    // x <= 1/n: cdf = x (1 + x)^(n-1).
    return 1 - x * (1 + x) ** (n - 1);
  }
  if (-2 * n * x * x < -708.3964185322641) return 0;
  if (Math.floor(nx) >= n - 1) return (1 - x) ** n;
  if (n > 1_000_000) {
    // scipy's own approximation beyond this size: p ≈ exp(-(6nx+1)² / 18n).
    return Math.exp(-((6 * nx + 1) ** 2) / 18 / n);
  }
  const last = Math.floor(n * (1 - x));
  const logX = Math.log(x);
  let logBinomial = 0; // log C(n, v)
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const upper = (n - v) / n - x; // 1 - x - v/n
    if (upper > 0) {
      const lower = x + v / n;
      const logTerm = logBinomial + (v - 1) * Math.log(lower) + (n - v) * Math.log(upper) + logX;
      sum += Math.exp(logTerm);
    }
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return Math.min(1, Math.max(0, sum));
}
