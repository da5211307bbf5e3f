import { detectDrift } from './detect-drift';
import type { DriftConfig } from './drift-config';
import type { OutputDrift } from './drift-report';
import { proportionsZTest } from './z-test';

/** The share of High is judged as a p-value test, at the usual 5 % level. */
const HIGH_SHARE_P_THRESHOLD = 0.05;

/**
 * Output drift: the batch's score distribution against the model's scores on the reference rows (with the method
 * the drift config picks for a numeric feature), and the share of patients at or above the High cut against the
 * reference's share (pooled two-proportion z-test). Either one drifting is output drift.
 */
export function outputDrift(
  referenceScores: Float64Array,
  currentScores: Float64Array,
  highCut: number,
  config: DriftConfig = {},
): OutputDrift {
  if (referenceScores.length === 0) throw new RangeError('output drift: the reference has no scores');
  if (currentScores.length === 0) throw new RangeError('output drift: the batch has no scores');
  const perScore = config.perFeature?.score;
  const report = detectDrift(
    { rowCount: referenceScores.length, columns: { score: referenceScores } },
    { rowCount: currentScores.length, columns: { score: currentScores } },
    {
      method: perScore?.method ?? config.method,
      threshold: perScore?.threshold ?? config.threshold,
      histogramBins: config.histogramBins,
      features: ['score'],
      categoricalFeatures: [],
    },
  );
  const score = report.features[0];
  const referenceHigh = countAtOrAbove(referenceScores, highCut);
  const currentHigh = countAtOrAbove(currentScores, highCut);
  const test = proportionsZTest(referenceHigh, referenceScores.length, currentHigh, currentScores.length);
  const highShareDrifted = test.pValue < HIGH_SHARE_P_THRESHOLD;
  return {
    score,
    highShare: {
      highCut,
      referenceShare: referenceHigh / referenceScores.length,
      currentShare: currentHigh / currentScores.length,
      referenceRows: referenceScores.length,
      currentRows: currentScores.length,
      pValue: test.pValue,
      threshold: HIGH_SHARE_P_THRESHOLD,
      drifted: highShareDrifted,
    },
    drifted: score.drifted || highShareDrifted,
  };
}

function countAtOrAbove(scores: Float64Array, cut: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= cut) n++;
  return n;
}
