import { regularizedGammaQ } from './incomplete-gamma';

/** Survival function of the chi-squared distribution, P(X > x) with `dof` degrees of freedom (scipy chi2.sf). */
export function chi2Sf(x: number, dof: number): number {
  if (!(dof > 0)) return Number.NaN;
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}
