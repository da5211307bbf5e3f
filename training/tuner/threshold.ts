import { type Confusion, confusionAt } from '../../core/metrics/confusion';
import { fBeta } from '../../core/metrics/f-beta';
import { precisionOf, recallOf } from '../../core/metrics/rates';
import { Random } from '../../core/util/seeded-random';

interface ThresholdChoice {
  threshold: number;
  recall: number;
  precision: number;
  f2: number;
  confusion: Confusion;
}

/**
 * The operating threshold: among the distinct scores (positive when score >= threshold), the one with the
 * highest precision subject to recall >= minRecall; ties go to the higher recall. Use it on out-of-fold or
 * validation scores only, never on test scores.
 */
export function recallConstrainedThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  minRecall: number,
): ThresholdChoice {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives === 0) throw new Error('recallConstrainedThreshold: no positive labels');
  let tp = 0;
  let fp = 0;
  let bestPrecision = -1;
  let bestRecall = -1;
  let bestThreshold = Number.NaN;
  for (let k = 0; k < n; ) {
    const s = scores[order[k]];
    while (k < n && scores[order[k]] === s) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    const recall = tp / positives;
    if (recall + 1e-12 < minRecall) continue;
    const precision = tp / (tp + fp);
    if (precision > bestPrecision || (precision === bestPrecision && recall > bestRecall)) {
      bestPrecision = precision;
      bestRecall = recall;
      bestThreshold = s;
    }
  }
  const confusion = confusionAt(scores, labels, bestThreshold);
  return {
    threshold: bestThreshold,
    recall: recallOf(confusion),
    precision: precisionOf(confusion),
    f2: fBeta(confusion, 2),
    confusion,
  };
}

/**
 * The median over bootstrap resamples (rows drawn with replacement, seeded) of the recall-constrained
 * threshold: less sensitive than the single exact threshold to which few rows sit at the recall boundary.
 */
export function bootstrapThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  minRecall: number,
  resamples: number,
  seed: number,
): number {
  const n = scores.length;
  const random = new Random(seed);
  const s = new Float64Array(n);
  const l = new Uint8Array(n);
  const thresholds: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let positives = 0;
    for (let i = 0; i < n; i++) {
      const j = random.int(n);
      s[i] = scores[j];
      l[i] = labels[j];
      positives += l[i];
    }
    if (positives > 0) thresholds.push(recallConstrainedThreshold(s, l, minRecall).threshold);
  }
  if (thresholds.length === 0) throw new Error('bootstrapThreshold: no resample has a positive label');
  thresholds.sort((a, b) => a - b);
  const m = thresholds.length >> 1;
  return thresholds.length % 2 ? thresholds[m] : (thresholds[m - 1] + thresholds[m]) / 2;
}
