/**
 * Borderline cases: patients whose calibrated score lies within
 * a band around the decision threshold are marked for manual review, because a small change in one measurement
 * could flip the recommendation. Pure functions; the screening pipeline stores the flag with each prediction and
 * writes it to the CSV output.
 */

/** Half-width of the band on the probability scale: |score - threshold| <= band is borderline. */
export const DEFAULT_BORDERLINE_BAND = 0.05;

/** The band's edges are inclusive; this absorbs binary rounding (0.4 - 0.35 is 0.05000000000000004). */
const EDGE_TOLERANCE = 1e-12;

function checkSettings(threshold: number, band: number): void {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
  if (!(band >= 0 && band <= 0.5)) throw new RangeError(`borderline band must be in [0, 0.5], got ${band}`);
}

function check(score: number, where: string): void {
  if (!(score >= 0 && score <= 1)) throw new RangeError(`score ${where}is not a probability: ${score}`);
}

/** True when the score is within `band` of the threshold (both ends inclusive). */
export function isBorderline(score: number, threshold: number, band = DEFAULT_BORDERLINE_BAND): boolean {
  checkSettings(threshold, band);
  check(score, '');
  return Math.abs(score - threshold) <= band + EDGE_TOLERANCE;
}

/** Flags for a batch of scores (1 = borderline) into `out` (allocated if omitted). A non-probability score throws. */
export function flagBorderline(
  scores: ArrayLike<number>,
  threshold: number,
  band = DEFAULT_BORDERLINE_BAND,
  out = new Uint8Array(scores.length),
): Uint8Array {
  checkSettings(threshold, band);
  if (out.length < scores.length) throw new RangeError(`output holds ${out.length} flags, need ${scores.length}`);
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    check(score, `at row ${i} `);
    out[i] = Math.abs(score - threshold) <= band + EDGE_TOLERANCE ? 1 : 0;
  }
  return out;
}
