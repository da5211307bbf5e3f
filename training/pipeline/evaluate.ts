import { averagePrecision } from '../../core/metrics/average-precision';
import { brierScore } from '../../core/metrics/brier-score';
import { type Confusion, confusionAt } from '../../core/metrics/confusion';
import { fBeta } from '../../core/metrics/f-beta';
import { accuracyOf, precisionOf, recallOf } from '../../core/metrics/rates';
import { type ReliabilityBin, reliabilityTable } from '../../core/metrics/reliability-table';
import { rocAuc } from '../../core/metrics/roc-auc';
import { AGE_GROUP_LABELS, BMI_CATEGORY_LABELS } from '../../core/schema/columns';
import type { FeatureMatrix } from '../io/binned-dataset';

/** Screening costs used in the reports: a missed diabetic costs 1000, an unnecessary test 50. */
const COST_FN = 1000;
const COST_FP = 50;

export interface ThresholdMetrics {
  rows: number;
  positives: number;
  threshold: number;
  recall: number;
  precision: number;
  f2: number;
  accuracy: number;
  auc: number;
  prAuc: number;
  brier: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  cost: number;
}

export function metricsAt(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdMetrics {
  const c: Confusion = confusionAt(probs, labels, threshold);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const bothClasses = positives > 0 && positives < labels.length;
  return {
    rows: labels.length,
    positives,
    threshold,
    recall: recallOf(c),
    precision: precisionOf(c),
    f2: fBeta(c, 2),
    accuracy: accuracyOf(c),
    auc: bothClasses ? rocAuc(probs, labels) : Number.NaN,
    prAuc: bothClasses ? averagePrecision(probs, labels) : Number.NaN,
    brier: brierScore(probs, labels),
    ...c,
    cost: c.fn * COST_FN + c.fp * COST_FP,
  };
}

/** Metrics at thresholds 0.05, 0.10, ..., 0.95. */
export function thresholdTable(probs: ArrayLike<number>, labels: ArrayLike<number>): ThresholdMetrics[] {
  const rows: ThresholdMetrics[] = [];
  for (let k = 1; k <= 19; k++) rows.push(metricsAt(probs, labels, Math.round(k * 5) / 100));
  return rows;
}

interface SubgroupMetrics extends ThresholdMetrics {
  feature: 'Age_Group' | 'BMI_Category';
  group: string;
}

/** The bias check: the same metrics within each Age_Group and BMI_Category. */
export function subgroupMetrics(matrix: FeatureMatrix, probs: ArrayLike<number>, threshold: number): SubgroupMetrics[] {
  const out: SubgroupMetrics[] = [];
  const groups: ['Age_Group' | 'BMI_Category', readonly string[]][] = [
    ['Age_Group', AGE_GROUP_LABELS],
    ['BMI_Category', BMI_CATEGORY_LABELS],
  ];
  for (const [feature, labelsOf] of groups) {
    const column = matrix.columns[matrix.featureNames.indexOf(feature)];
    labelsOf.forEach((name, code) => {
      const p: number[] = [];
      const y: number[] = [];
      for (let r = 0; r < matrix.numRows; r++) {
        if (column[r] === code) {
          p.push(probs[r]);
          y.push(matrix.labels[r]);
        }
      }
      if (p.length > 0) out.push({ feature, group: name, ...metricsAt(p, y, threshold) });
    });
  }
  return out;
}

interface CalibrationReport {
  brierBefore: number;
  brierAfter: number;
  reliabilityBefore: ReliabilityBin[];
  reliabilityAfter: ReliabilityBin[];
}

/** Brier and reliability of the uncalibrated sigmoid(margin) versus the Platt-calibrated probabilities. */
export function calibrationReport(
  margins: ArrayLike<number>,
  calibrated: ArrayLike<number>,
  labels: ArrayLike<number>,
): CalibrationReport {
  const raw = Array.from(margins, (m) => 1 / (1 + Math.exp(-m)));
  return {
    brierBefore: brierScore(raw, labels),
    brierAfter: brierScore(calibrated, labels),
    reliabilityBefore: reliabilityTable(raw, labels, 10),
    reliabilityAfter: reliabilityTable(calibrated, labels, 10),
  };
}
