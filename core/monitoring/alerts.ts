import { formatPValue } from '../api/format-p-value';
import type { DriftReport } from '../drift/drift-report';
import { formatPercent } from '../util/format-percent';
import { isoWeekOf } from './iso-week';
import type { WeeklyPerformance } from './weekly-performance';

/** Shaped like the store's AlertInput, so each can be raised as is (the store de-duplicates). */
export interface MonitoringAlert {
  kind: 'recall-below-target' | 'dataset-drift' | 'important-feature-drift' | 'output-drift';
  week: string | null;
  modelVersion: string | null;
  batchId: number | null;
  message: string;
  details: Record<string, unknown>;
}

/** Every alert raised here belongs to an ISO week (the store's alerts may have none). */
export interface WeeklyAlert extends MonitoringAlert {
  week: string;
}

export interface RecallAlertRule {
  /** Alert when recall is below this (default 0.80, config monitoring.recallAlertBelow)... */
  recallBelow: number;
  /** ...in this many consecutive judged weeks of the same model version (default 2: one bad week alone may be noise). */
  consecutiveWeeks: number;
}

const DEFAULT_RECALL_ALERT_RULE: RecallAlertRule = { recallBelow: 0.8, consecutiveWeeks: 2 };

/**
 * Recall alerts, per model version: one alert for every judged week that completes a run of `consecutiveWeeks`
 * judged weeks with recall below the target. Weeks with too few labels are skipped: they neither raise an alert
 * nor break a run (a quiet week must not hide a failing model).
 */
export function recallAlerts(
  weeks: readonly WeeklyPerformance[],
  rule: RecallAlertRule = DEFAULT_RECALL_ALERT_RULE,
): WeeklyAlert[] {
  const byVersion = new Map<string, WeeklyPerformance[]>();
  for (const w of weeks) {
    if (!w.judged) continue;
    const list = byVersion.get(w.modelVersion) ?? [];
    list.push(w);
    byVersion.set(w.modelVersion, list);
  }
  const alerts: WeeklyAlert[] = [];
  for (const [modelVersion, list] of byVersion) {
    list.sort(byWeek);
    let run: (WeeklyPerformance & { recall: number })[] = [];
    for (const w of list) {
      const recall = w.recall;
      if (recall !== null && recall < rule.recallBelow) run.push({ ...w, recall });
      else run = [];
      if (run.length >= rule.consecutiveWeeks) {
        alerts.push({
          kind: 'recall-below-target',
          week: w.week,
          modelVersion,
          batchId: null,
          message:
            `Recall of model ${modelVersion} below ${rule.recallBelow} for ${run.length} consecutive judged weeks ` +
            `(${run.map((s) => `${s.week}: ${s.recall.toFixed(3)}`).join(', ')})`,
          details: {
            recallBelow: rule.recallBelow,
            consecutiveWeeks: rule.consecutiveWeeks,
            weeks: run.map((s) => ({ week: s.week, recall: s.recall, n: s.n, positives: s.positives, fn: s.fn })),
          },
        });
      }
    }
  }
  return alerts.sort(byWeek);
}

/** Chronological order of ISO week labels ("2026-W07" sorts as text); sort keeps equal weeks in input order. */
function byWeek(a: { week: string }, b: { week: string }): number {
  if (a.week < b.week) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: V8's sort only asks whether a comparison is negative, so returning 1 or 0 here orders alike
  return a.week > b.week ? 1 : 0;
}

interface BatchDrift {
  batchId: number;
  /** The batch's prediction date (ISO). */
  date: string;
  modelVersion: string | null;
  report: Pick<DriftReport, 'datasetDrift' | 'driftedFeatures' | 'importance' | 'output'>;
}

/**
 * Per batch, one alert for each verdict its drift report gives: dataset drift (share/count of drifted features),
 * drift in a feature the model relies on most (which the share and count rules can miss), and output drift.
 */
export function driftAlerts(batches: readonly BatchDrift[]): WeeklyAlert[] {
  return batches.flatMap((b) => {
    const alerts: WeeklyAlert[] = [];
    const base = { week: isoWeekOf(b.date), modelVersion: b.modelVersion, batchId: b.batchId };
    const d = b.report.datasetDrift;
    if (d.drifted) {
      alerts.push({
        kind: 'dataset-drift',
        ...base,
        message:
          `Data drift in batch ${b.batchId}: ${d.driftedCount} of ${d.featureCount} features drifted ` +
          `(${b.report.driftedFeatures.join(', ')})`,
        details: {
          driftedFeatures: b.report.driftedFeatures,
          share: d.share,
          shareRule: d.shareRule,
          countRule: d.countRule,
          rule: d.rule,
        },
      });
    }
    const importance = b.report.importance;
    if (importance?.drifted) {
      const drifted = importance.important.filter((f) => f.drifted);
      alerts.push({
        kind: 'important-feature-drift',
        ...base,
        message:
          `Drift in batch ${b.batchId} in features the model relies on most: ` +
          `${drifted.map((f) => `${f.feature} (${formatPercent(f.share)} of its weight)`).join(', ')}. ` +
          'Check the file (units, source, device) before acting on its scores.',
        details: { features: drifted, rule: importance.rule },
      });
    }
    const output = b.report.output;
    if (output?.drifted) {
      const high = output.highShare;
      alerts.push({
        kind: 'output-drift',
        ...base,
        message:
          `The model's output shifted in batch ${b.batchId}: ${formatPercent(high.currentShare)} High against ` +
          `${formatPercent(high.referenceShare)} in the reference (p = ${formatPValue(high.pValue)}); score distribution ` +
          `${output.score.drifted ? 'drifted' : 'not drifted'} (${output.score.methodLabel} ${formatPValue(output.score.score)}).`,
        details: {
          highShare: high,
          score: {
            method: output.score.method,
            statistic: output.score.statistic,
            score: output.score.score,
            threshold: output.score.threshold,
            drifted: output.score.drifted,
          },
        },
      });
    }
    return alerts;
  });
}

/** Both rules together, ordered by week. */
export function evaluateAlerts(input: {
  weeks: readonly WeeklyPerformance[];
  batches: readonly BatchDrift[];
  recallRule?: RecallAlertRule;
}): MonitoringAlert[] {
  return [...recallAlerts(input.weeks, input.recallRule), ...driftAlerts(input.batches)].sort(byWeek);
}
