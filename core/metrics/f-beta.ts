import type { Confusion } from './confusion';

/**
 * F-beta = (1 + b²)·P·R / (b²·P + R), written on counts so it is exact and 0 when undefined
 * (sklearn fbeta_score with zero_division=0). beta = 2 weighs recall four times precision.
 */
export function fBeta(c: Confusion, beta: number): number {
  if (!(beta > 0)) throw new RangeError(`fBeta: beta must be > 0, got ${beta}`);
  const b2 = beta * beta;
  const numerator = (1 + b2) * c.tp;
  const denominator = numerator + b2 * c.fn + c.fp;
  return denominator === 0 ? 0 : numerator / denominator;
}
