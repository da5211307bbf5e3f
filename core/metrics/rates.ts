import type { Confusion } from './confusion';

// Each rate is 0 when its denominator is 0 (sklearn's zero_division=0), never NaN,
// so a week with no positives reads as "recall 0" only together with its counts.

export function recallOf(c: Confusion): number {
  const d = c.tp + c.fn;
  return d === 0 ? 0 : c.tp / d;
}

export function precisionOf(c: Confusion): number {
  const d = c.tp + c.fp;
  return d === 0 ? 0 : c.tp / d;
}

export function accuracyOf(c: Confusion): number {
  const d = c.tp + c.fp + c.tn + c.fn;
  return d === 0 ? 0 : (c.tp + c.tn) / d;
}
