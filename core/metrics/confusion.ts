/** Counts of a binary decision rule against 0/1 labels. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Confusion counts when a row is called positive at `score >= threshold` (the screening rule).
 * A NaN score never reaches the threshold, so it counts as a negative call.
 */
export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  assertSameLength(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const positive = scores[i] >= threshold;
    const label = labels[i];
    if (label === 1) {
      if (positive) tp++;
      else fn++;
    } else if (label === 0) {
      if (positive) fp++;
      else tn++;
    } else {
      throw new RangeError(`confusionAt: label at index ${i} is ${label}; labels must be 0 or 1`);
    }
  }
  return { tp, fp, tn, fn };
}

export function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new RangeError(`scores/probabilities have ${a.length} entries but labels have ${b.length}`);
  }
}

/** Labels must be exactly 0 or 1; anything else is a caller bug worth stopping on. */
export function assertBinaryLabels(labels: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) {
      throw new RangeError(`label at index ${i} is ${label}; labels must be 0 or 1`);
    }
  }
}
