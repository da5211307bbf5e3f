import type { AppConfig } from '../config/app-config';
import type { ModelExpectations, MonitoringOptions } from '../monitoring/monitoring-refresh';
import { DEFAULT_MINIMUM_LABELS } from '../monitoring/weekly-performance';

/** The config's monitoring section as the refresh's options. */
export function monitoringOptions(config: AppConfig, expectations: ModelExpectations): MonitoringOptions {
  return {
    expectations,
    recallRule: {
      recallBelow: config.monitoring.recallAlertBelow,
      consecutiveWeeks: config.monitoring.consecutiveWeeks,
    },
    minimum: { labels: config.monitoring.minLabelsPerWeek, positives: DEFAULT_MINIMUM_LABELS.positives },
    actor: config.screening.actor,
  };
}

export function alertLines(
  alerts: readonly { kind: string; message: string; week: string | null }[],
  label: string,
): string[] {
  return alerts.map((a) => `  ${label}: [${a.kind}${a.week ? ` ${a.week}` : ''}] ${a.message}`);
}
