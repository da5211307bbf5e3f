import { assertBinaryLabels, assertSameLength } from './confusion';

/** Mean squared difference between predicted probability and the 0/1 outcome (sklearn brier_score_loss). */
export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  assertSameLength(probs, labels);
  assertBinaryLabels(labels);
  // Stryker disable next-line ConditionalExpression: without rows the mean below is 0 / 0, NaN as well
  if (probs.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const d = probs[i] - labels[i];
    sum += d * d;
  }
  return sum / probs.length;
}
