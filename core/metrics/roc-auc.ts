import { assertBinaryLabels, assertSameLength } from './confusion';
import { ascendingOrder } from './sort-order';

/**
 * Area under the ROC curve, equal to sklearn.metrics.roc_auc_score: the probability that a random
 * positive outscores a random negative, ties counting one half (the average-rank Mann-Whitney U).
 * Counted per tie group in integers, so it is exact up to 2^53 pairs. NaN when only one class is present
 * (sklearn raises there; NaN lets a weekly table show "undefined" instead of failing).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  assertSameLength(scores, labels);
  assertBinaryLabels(labels);
  const order = ascendingOrder(scores);
  const n = order.length;
  let negativesBelow = 0;
  let positives = 0;
  let wins = 0; // pairs won by the positive, ties counted twice (halved at the end)
  let i = 0;
  while (i < n) {
    const s = scores[order[i]];
    let groupPositives = 0;
    let groupNegatives = 0;
    while (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: order[n] is undefined, so the score test ends the loop anyway
      i < n &&
      scores[order[i]] === s
    ) {
      if (labels[order[i]] === 1) groupPositives++;
      else groupNegatives++;
      i++;
    }
    wins += 2 * groupPositives * negativesBelow + groupPositives * groupNegatives;
    negativesBelow += groupNegatives;
    positives += groupPositives;
  }
  const negatives = negativesBelow;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: with one class absent wins is 0 and the division below is 0 / 0, NaN as well
  if (positives === 0 || negatives === 0) return Number.NaN;
  return wins / (2 * positives * negatives);
}
