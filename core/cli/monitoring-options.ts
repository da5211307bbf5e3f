import type { AppConfig } from '../config/app-config';
import { alertRulesOf } from '../monitoring/alert-sweep';
import type { ModelExpectations, MonitoringOptions } from '../monitoring/monitoring-refresh';

/** The config's monitoring section as the refresh's options. */
export function monitoringOptions(config: AppConfig, expectations: ModelExpectations): MonitoringOptions {
  return { expectations, ...alertRulesOf(config), actor: config.screening.actor };
}

export function alertLines(
  alerts: readonly { kind: string; message: string; week: string | null }[],
  label: string,
): string[] {
  return alerts.map((a) => `  ${label}: [${a.kind}${a.week ? ` ${a.week}` : ''}] ${a.message}`);
}
