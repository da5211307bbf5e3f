import { logGamma } from './log-gamma';

// Regularised incomplete gamma functions as Cephes' igam/igamc (which scipy's chdtrc builds on):
// the power series for P where it converges fast (x < 1 or x < a), Legendre's continued fraction for Q otherwise,
// so the small upper tail (the p-values we care about) keeps full relative precision.
const MACHEP = 1.1102230246251565e-16;
const BIG = 4503599627370496;
const BIG_INVERSE = 2.220446049250313e-16;

/** Lower regularised incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  if (x > 1 && x > a) return 1 - upperContinuedFraction(a, x);
  return lowerSeries(a, x);
}

/** Upper regularised incomplete gamma Q(a, x) = 1 - P(a, x). */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < 1 || x < a) return 1 - lowerSeries(a, x);
  return upperContinuedFraction(a, x);
}

function lowerSeries(a: number, x: number): number {
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (logPrefactor < -745) return 0;
  let r = a;
  let c = 1;
  let sum = 1;
  do {
    r += 1;
    c *= x / r;
    sum += c;
  } while (c / sum > MACHEP);
  return (sum * Math.exp(logPrefactor)) / a;
}

function upperContinuedFraction(a: number, x: number): number {
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (logPrefactor < -745) return 0;
  let y = 1 - a;
  let z = x + y + 1;
  let c = 0;
  let pkm2 = 1;
  let qkm2 = x;
  let pkm1 = x + 1;
  let qkm1 = z * x;
  let ans = pkm1 / qkm1;
  let t: number;
  do {
    c += 1;
    y += 1;
    z += 2;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc;
    const qk = qkm1 * z - qkm2 * yc;
    if (qk !== 0) {
      const r = pk / qk;
      t = Math.abs((ans - r) / r);
      ans = r;
    } else {
      t = 1;
    }
    pkm2 = pkm1;
    pkm1 = pk;
    qkm2 = qkm1;
    qkm1 = qk;
    if (Math.abs(pk) > BIG) {
      pkm2 *= BIG_INVERSE;
      pkm1 *= BIG_INVERSE;
      qkm2 *= BIG_INVERSE;
      qkm1 *= BIG_INVERSE;
    }
  } while (t > MACHEP);
  return ans * Math.exp(logPrefactor);
}
