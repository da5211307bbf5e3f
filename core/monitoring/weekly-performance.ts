import type { SubgroupRecall, ValidationEstimate, WeeklyPerformance } from '../api/monitoring-types';
import { rocAuc } from '../metrics/roc-auc';
import { ageGroup } from '../preprocess/feature-engineer';
import { AGE_GROUP_LABELS } from '../schema/columns';
import { isoWeekOf } from './iso-week';

// The weekly table's types are the contract's (core/api/monitoring-types.ts): the monitoring view charts them.
export type { SubgroupRecall, ValidationEstimate, WeeklyPerformance };

/** What the weekly table needs from a labelled prediction (a subset of the store's MatchedLabel). */
export interface LabelledPrediction {
  outcome: 0 | 1;
  /** Calibrated risk score at prediction time. */
  score: number;
  /** The screening recommendation that was issued (score >= that model's threshold). */
  recommendation: 0 | 1;
  /** Raw age at prediction time, for the Age_Group subgroups; null if unknown. */
  age: number | null;
  modelVersion: string | null;
  /** ISO date(-time) of the prediction; the row belongs to that date's ISO week. */
  predictionDate: string;
}

export interface MinimumLabels {
  /** Labelled predictions a week needs before its recall is judged (default 30). */
  labels: number;
  /** Labelled positives (outcome 1) a week needs: recall is a rate over positives (default 10). */
  positives: number;
}

export const DEFAULT_MINIMUM_LABELS: MinimumLabels = { labels: 30, positives: 10 };

interface WeeklyPerformanceOptions {
  minimum?: MinimumLabels;
  /** Per model version. */
  validationEstimates?: Record<string, ValidationEstimate>;
  /** Weeks whose patient rows were purged: their counts as kept at the purge, in place of the (gone) rows. */
  retained?: readonly WeekCounts[];
}

/** What a week's figures are computed from: the confusion counts, the AUC and the subgroup recall. */
export interface WeekCounts {
  week: string;
  modelVersion: string;
  n: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  auc: number | null;
  subgroupRecall: SubgroupRecall[];
}

/** Model version shown for predictions stored without one. */
const UNKNOWN_VERSION = 'unknown';

/**
 * Realised performance per ISO week (of the prediction date) and model version: n labelled, confusion counts at
 * the issued recommendation, recall, precision, F2, AUC-ROC, and recall by Age_Group. Rows sorted by week, then
 * model version. A week below the minimum-labels rule is reported with judged = false and says why.
 */
export function weeklyPerformance(
  labelled: readonly LabelledPrediction[],
  options: WeeklyPerformanceOptions = {},
): WeeklyPerformance[] {
  const minimum = options.minimum ?? DEFAULT_MINIMUM_LABELS;
  const groups = new Map<string, { week: string; modelVersion: string; rows: LabelledPrediction[] }>();
  for (const row of labelled) {
    if (row.outcome !== 0 && row.outcome !== 1) throw new RangeError(`outcome must be 0 or 1, got ${row.outcome}`);
    const week = isoWeekOf(row.predictionDate);
    const modelVersion = row.modelVersion ?? UNKNOWN_VERSION;
    const key = `${week}\u0000${modelVersion}`;
    let group = groups.get(key);
    if (!group) {
      group = { week, modelVersion, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  const counts = new Map([...groups].map(([key, g]) => [key, weekCounts(g.week, g.modelVersion, g.rows)]));
  for (const kept of options.retained ?? []) {
    const key = `${kept.week}\u0000${kept.modelVersion}`;
    // A purged week has no patient rows left to count; should any appear, the kept figures are what was judged.
    counts.set(key, kept);
  }
  return [...counts.values()]
    .sort((a, b) => (a.week === b.week ? a.modelVersion.localeCompare(b.modelVersion) : a.week < b.week ? -1 : 1))
    .map((c) => ({
      ...summarise(c, minimum),
      validationEstimate: options.validationEstimates?.[c.modelVersion] ?? null,
    }));
}

/** The counts, AUC and subgroup recall of one week's labelled predictions (what a purge keeps of them). */
export function weekCounts(week: string, modelVersion: string, rows: readonly LabelledPrediction[]): WeekCounts {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const r of rows) {
    if (r.outcome === 1) {
      if (r.recommendation === 1) tp++;
      else fn++;
    } else if (r.recommendation === 1) fp++;
    else tn++;
  }
  const auc = rocAuc(
    rows.map((r) => r.score),
    rows.map((r) => r.outcome),
  );
  return {
    week,
    modelVersion,
    n: rows.length,
    tp,
    fp,
    fn,
    tn,
    auc: Number.isNaN(auc) ? null : auc,
    subgroupRecall: subgroups(rows),
  };
}

function summarise(counts: WeekCounts, minimum: MinimumLabels): Omit<WeeklyPerformance, 'validationEstimate'> {
  const { week, modelVersion, n, tp, fp, fn, tn, auc } = counts;
  const positives = tp + fn;
  const judged = n >= minimum.labels && positives >= minimum.positives;
  const f2Denominator = 5 * tp + 4 * fn + fp;
  return {
    week,
    modelVersion,
    n,
    positives,
    tp,
    fp,
    fn,
    tn,
    recall: positives === 0 ? null : tp / positives,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    f2: f2Denominator === 0 ? null : (5 * tp) / f2Denominator,
    auc,
    judged,
    status: judged
      ? 'judged'
      : `too few labels to judge (${n} labels, ${positives} positives; needs ${minimum.labels} and ${minimum.positives})`,
    subgroupRecall: counts.subgroupRecall,
  };
}

function subgroups(rows: readonly LabelledPrediction[]): SubgroupRecall[] {
  const stats = AGE_GROUP_LABELS.map((group) => ({ group, n: 0, positives: 0, tp: 0 }));
  const unknown = { group: 'unknown', n: 0, positives: 0, tp: 0 };
  for (const r of rows) {
    const s = r.age === null || Number.isNaN(r.age) ? unknown : stats[ageGroup(r.age)];
    s.n++;
    if (r.outcome === 1) {
      s.positives++;
      if (r.recommendation === 1) s.tp++;
    }
  }
  return [...stats, ...(unknown.n > 0 ? [unknown] : [])].map((s) => ({
    group: s.group,
    n: s.n,
    positives: s.positives,
    recall: s.positives === 0 ? null : s.tp / s.positives,
  }));
}
