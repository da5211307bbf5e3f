import { assertBinaryLabels, assertSameLength } from './confusion';

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/**
 * Calibration table on `bins` equal-width bins over [0, 1] (sklearn calibration_curve, strategy 'uniform').
 * A probability p goes to bin floor(p·bins), so bins are [lower, upper) and the last one also holds 1.
 * Empty bins are left out, as sklearn leaves them out: their rate is undefined.
 */
export function reliabilityTable(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  assertSameLength(probs, labels);
  assertBinaryLabels(labels);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`reliabilityTable: bins must be a positive integer`);
  const counts = new Float64Array(bins);
  const sumPredicted = new Float64Array(bins);
  const sumObserved = new Float64Array(bins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability at index ${i} is ${p}; must be in [0, 1]`);
    const b = Math.min(bins - 1, Math.floor(p * bins));
    counts[b]++;
    sumPredicted[b] += p;
    sumObserved[b] += labels[i];
  }
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (counts[b] === 0) continue;
    table.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: counts[b],
      meanPredicted: sumPredicted[b] / counts[b],
      observedRate: sumObserved[b] / counts[b],
    });
  }
  return table;
}
