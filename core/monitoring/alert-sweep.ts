import type { AppConfig } from '../config/app-config';
import type { DriftReport } from '../drift/drift-report';
import type { Store } from '../store/store';
import { evaluateAlerts, type MonitoringAlert, type RecallAlertRule } from './alerts';
import {
  DEFAULT_MINIMUM_LABELS,
  type MinimumLabels,
  type WeeklyPerformance,
  weeklyPerformance,
} from './weekly-performance';

/** The alert rules as the config sets them. */
export interface AlertRules {
  recallRule: RecallAlertRule;
  minimum: MinimumLabels;
}

export function alertRulesOf(config: AppConfig): AlertRules {
  return {
    recallRule: {
      recallBelow: config.monitoring.recallAlertBelow,
      consecutiveWeeks: config.monitoring.consecutiveWeeks,
    },
    minimum: { labels: config.monitoring.minLabelsPerWeek, positives: DEFAULT_MINIMUM_LABELS.positives },
  };
}

/**
 * Evaluates every alert rule over what is stored (labelled weeks, each batch's drift report) and raises what is
 * due. Raising is idempotent (the store de-duplicates by kind, week, version and batch) and each new alert is one
 * audit event, so it runs after every batch and every label import, from the app and the CLI alike, without
 * anyone opening the monitoring view.
 */
export function raiseDueAlerts(
  store: Store,
  rules: AlertRules & { actor: string },
  weeks: readonly WeeklyPerformance[] = weeklyPerformance(store.labels.listMatched(), {
    minimum: rules.minimum,
    retained: store.retention.retainedPerformance(),
  }),
): MonitoringAlert[] {
  const batches = store.drift.list().flatMap((record) => {
    const batch = store.batches.get(record.batchId);
    return batch
      ? [
          {
            batchId: record.batchId,
            date: batch.predictionDate,
            modelVersion: batch.modelVersion,
            report: record.report as DriftReport,
          },
        ]
      : [];
  });
  const raised: MonitoringAlert[] = [];
  for (const alert of evaluateAlerts({ weeks, batches, recallRule: rules.recallRule })) {
    store.transaction(() => {
      const { created } = store.alerts.raise(alert);
      if (!created) return;
      raised.push(alert);
      store.audit.append({
        actor: rules.actor,
        action: 'alert.raised',
        subject: alert.kind,
        details: { week: alert.week, modelVersion: alert.modelVersion, batchId: alert.batchId, message: alert.message },
      });
    });
  }
  return raised;
}
