import type { CbpeEstimate, EstimatedMetric, WeeklyEstimate } from '../api/monitoring-types';
import { isoWeekOf } from './iso-week';

// The estimates' types are the contract's (core/api/monitoring-types.ts): the monitoring view shows them.
export type { CbpeEstimate, EstimatedMetric, WeeklyEstimate };

// Confidence-based performance estimation (NannyML's CBPE) for batches whose labels have not arrived.
// With calibrated probabilities p_i and the decision p_i >= threshold, the expected confusion counts are
// E[TP] = Σ_{called} p_i, E[FP] = Σ_{called} (1 - p_i), E[FN] = Σ_{not called} p_i, E[TN] = Σ_{not called} (1 - p_i);
// recall, precision and F-beta are computed from them. The sampling-error band follows NannyML's
// sampling_error/binary_classification.py: standard error = std(observation-level metric on a labelled reference)
// / sqrt(n_batch · fraction of relevant rows), and the band is ± 3 standard errors.

interface SamplingErrorComponent {
  /** Population std of the observation-level metric on the reference. */
  std: number;
  /** Share of reference rows the metric is about (positives for recall, called rows for precision, ...). */
  fraction: number;
}

/** What CBPE learns from labelled reference predictions (JSON-serialisable; store it with the model). */
export interface CbpeReference {
  threshold: number;
  beta: number;
  referenceRows: number;
  recall: SamplingErrorComponent;
  precision: SamplingErrorComponent;
  fBeta: SamplingErrorComponent;
}

/** NannyML's width of the sampling-error band in standard errors. */
const CBPE_BAND_STANDARD_ERRORS = 3;

function std(values: readonly number[]): number {
  // Stryker disable next-line ConditionalExpression: without values the mean below is 0 / 0, and the result NaN as well
  if (values.length === 0) return Number.NaN;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let s = 0;
  for (const v of values) s += (v - mean) ** 2;
  return Math.sqrt(s / values.length);
}

/**
 * Sampling-error components from labelled reference predictions (e.g. validation or out-of-fold predictions) at
 * the model's threshold. F-beta generalises NannyML's F1 component: observations TP = 1, FN = FP = 0 over the
 * relevant rows, scaled by N_rel / (TP + (β²·FN + FP)/(1 + β²)) so that their mean is F-beta.
 */
export function fitCbpeReference(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
  beta = 2,
): CbpeReference {
  if (probabilities.length !== labels.length)
    throw new RangeError('CBPE reference: probabilities and labels differ in length');
  const n = probabilities.length;
  if (n === 0) throw new RangeError('CBPE reference: no rows');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const called = probabilities[i] >= threshold;
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`CBPE reference: label at index ${i} is ${y}; must be 0 or 1`);
    if (called && y === 1) tp++;
    else if (called) fp++;
    else if (y === 1) fn++;
  }
  const ones = (k: number) => new Array<number>(k).fill(1);
  const zeros = (k: number) => new Array<number>(k).fill(0);
  const b2 = beta * beta;
  const relevant = tp + fn + fp;
  const correction = relevant / (tp + (b2 * fn + fp) / (1 + b2));
  return {
    threshold,
    beta,
    referenceRows: n,
    recall: { std: std([...ones(tp), ...zeros(fn)]), fraction: (tp + fn) / n },
    precision: { std: std([...ones(tp), ...zeros(fp)]), fraction: (tp + fp) / n },
    fBeta: { std: std([...ones(tp), ...zeros(fn + fp)].map((v) => v * correction)), fraction: relevant / n },
  };
}

/** Estimated recall, precision and F-beta of a batch from its calibrated probabilities alone. */
export function estimatePerformance(
  reference: CbpeReference,
  probabilities: ArrayLike<number>,
  bandStandardErrors = CBPE_BAND_STANDARD_ERRORS,
): CbpeEstimate {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let n = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`CBPE: probability at index ${i} is ${p}; must be in [0, 1]`);
    n++;
    if (p >= reference.threshold) {
      tp += p;
      fp += 1 - p;
    } else {
      fn += p;
      tn += 1 - p;
    }
  }
  const b2 = reference.beta * reference.beta;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const fDenominator = (1 + b2) * tp + b2 * fn + fp;
  const fBeta = fDenominator > 0 ? ((1 + b2) * tp) / fDenominator : null;
  const metric = (value: number | null, c: SamplingErrorComponent): EstimatedMetric => {
    const se = n > 0 && c.fraction > 0 && Number.isFinite(c.std) ? c.std / Math.sqrt(n * c.fraction) : null;
    if (value === null || se === null) return { value, standardError: se, lower: null, upper: null };
    return {
      value,
      standardError: se,
      lower: Math.max(0, value - bandStandardErrors * se),
      upper: Math.min(1, value + bandStandardErrors * se),
    };
  };
  return {
    n,
    threshold: reference.threshold,
    beta: reference.beta,
    expected: { tp, fp, fn, tn },
    recall: metric(recall, reference.recall),
    precision: metric(precision, reference.precision),
    fBeta: metric(fBeta, reference.fBeta),
  };
}

/**
 * CBPE per ISO week (of the prediction date) and model version, over every prediction made, labelled or not:
 * the estimate to show beside the realised weekly numbers. `references` maps a model version to its CBPE
 * reference; versions without one are left out.
 */
export function estimateWeekly(
  references: Record<string, CbpeReference>,
  predictions: readonly { score: number; predictionDate: string; modelVersion: string | null }[],
): WeeklyEstimate[] {
  const groups = new Map<string, { week: string; modelVersion: string; scores: number[] }>();
  for (const p of predictions) {
    if (p.modelVersion === null || !references[p.modelVersion]) continue;
    const week = isoWeekOf(p.predictionDate);
    const key = `${week}\u0000${p.modelVersion}`;
    let g = groups.get(key);
    if (!g) {
      g = { week, modelVersion: p.modelVersion, scores: [] };
      groups.set(key, g);
    }
    g.scores.push(p.score);
  }
  return [...groups.values()]
    .sort((a, b) => (a.week === b.week ? a.modelVersion.localeCompare(b.modelVersion) : a.week < b.week ? -1 : 1))
    .map((g) => ({
      week: g.week,
      modelVersion: g.modelVersion,
      estimate: estimatePerformance(references[g.modelVersion], g.scores),
    }));
}
