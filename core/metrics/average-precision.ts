import { assertBinaryLabels, assertSameLength } from './confusion';
import { ascendingOrder } from './sort-order';

/**
 * Average precision (area under the precision-recall step curve), equal to
 * sklearn.metrics.average_precision_score: sum over distinct thresholds, high to low, of
 * (R_k - R_{k-1}) · P_k, with tied scores forming one threshold. NaN when there is no positive
 * (sklearn warns and returns a meaningless value there).
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  assertSameLength(scores, labels);
  assertBinaryLabels(labels);
  let totalPositives = 0;
  for (let i = 0; i < labels.length; i++) totalPositives += labels[i];
  if (totalPositives === 0) return Number.NaN;
  const order = ascendingOrder(scores);
  let tp = 0;
  let fp = 0;
  let previousRecall = 0;
  let ap = 0;
  let i = order.length - 1;
  while (i >= 0) {
    const s = scores[order[i]];
    while (
      // Stryker disable next-line ConditionalExpression: past the lowest row order[-1] is undefined, so the score test ends the loop anyway
      i >= 0 &&
      scores[order[i]] === s
    ) {
      if (labels[order[i]] === 1) tp++;
      else fp++;
      i--;
    }
    const recall = tp / totalPositives;
    // Stryker disable next-line ConditionalExpression: at an unchanged recall the step adds 0 · precision, i.e. nothing
    if (recall !== previousRecall) {
      ap += (recall - previousRecall) * (tp / (tp + fp));
      previousRecall = recall;
    }
  }
  return ap;
}
