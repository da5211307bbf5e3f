import { regularizedGammaQ } from './incomplete-gamma';

/**
 * Standard normal CDF Φ(z). Uses erfc(t) = Q(1/2, t²), so the far tail keeps its relative precision
 * (1 - erf would cancel to 0 beyond |z| ≈ 8).
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === 0) return 0.5;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2); // P(Z > |z|)
  return z < 0 ? tail : 1 - tail;
}

/** P(Z > z). */
export function normalSf(z: number): number {
  return normalCdf(-z);
}
