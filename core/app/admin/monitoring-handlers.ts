import type { MonitoringSummary } from '../../api/admin-outputs';
import type { WeeklyPerformance } from '../../api/monitoring-types';
import { fail, ok } from '../../api/result';
import type { AppConfig } from '../../config/app-config';
import { importLabels } from '../../labels/label-import';
import { alertRulesOf } from '../../monitoring/alert-sweep';
import { type MonitoringOptions, readModelExpectations, refreshMonitoring } from '../../monitoring/monitoring-refresh';
import { productionRecallTarget } from '../../registry/installed-versions';
import { formatPercent } from '../../util/format-percent';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { type AdminDeps, notWired } from './admin-deps';

/** The monitoring view: delayed labels, weekly performance and estimates, and the alerts they raise. */
export function monitoringHandlers(app: AppContext): GroupHandlers<'monitoring'> {
  const { store } = app;

  const summary = (deps: AdminDeps, actor: string): MonitoringSummary => {
    const snapshot = refreshMonitoring(store, monitoringOptionsOf(deps.config, deps.modelsRoot, actor));
    return {
      weeks: snapshot.weeks,
      estimates: snapshot.estimates,
      alerts: snapshot.alerts,
      raisedNow: snapshot.raised.length,
      targetRecall: productionRecallTarget(deps.modelsRoot),
      alertRecall: deps.config.monitoring.recallAlertBelow,
      labelCount: store.labels.count(),
      consecutiveWeeks: deps.config.monitoring.consecutiveWeeks,
      recallAlertStatus: recallAlertStatus(
        snapshot.weeks,
        deps.config.monitoring.recallAlertBelow,
        deps.config.monitoring.consecutiveWeeks,
      ),
    };
  };

  return {
    async importLabels(arg, ctx) {
      const deps = app.admin;
      if (!deps) return notWired();
      const user = app.actor(ctx);
      const report = await app.withTempFile(arg.fileName, arg.content, (path) =>
        importLabels(store, path, user.username, arg.fileName),
      );
      return ok({ report, monitoring: summary(deps, user.username) });
    },

    async monitoringSummary(_arg, ctx) {
      if (!app.admin) return notWired();
      return ok(summary(app.admin, app.actor(ctx).username));
    },

    async acknowledgeAlert(arg, ctx) {
      const user = app.actor(ctx);
      const alert = store.alerts.list().find((a) => a.id === arg.alertId);
      if (!alert) return fail('not-found', `There is no alert ${arg.alertId}.`);
      if (alert.acknowledgedAt)
        return fail('conflict', `Alert ${arg.alertId} was acknowledged by ${alert.acknowledgedBy}.`);
      const acknowledged = store.transaction(() => {
        const done = store.alerts.acknowledge(alert.id, user.username);
        if (done) {
          store.audit.append({
            actor: user.username,
            action: 'alert.acknowledged',
            subject: String(alert.id),
            details: { kind: alert.kind, week: alert.week, modelVersion: alert.modelVersion, batchId: alert.batchId },
          });
        }
        return done;
      });
      if (!acknowledged) return fail('conflict', `Alert ${arg.alertId} could not be acknowledged.`);
      const updated = store.alerts.list().find((a) => a.id === arg.alertId);
      if (!updated) throw new Error(`alert ${arg.alertId} vanished`);
      return ok(updated);
    },

    async listOpenAlerts() {
      return ok(store.alerts.listOpen());
    },
  };
}

/**
 * Why the recall rule has or has not fired, from the newest judged weeks: a single week under the line is shown as
 * such ("1 of 2 weeks needed"), so "No alerts" never reads as "recall is fine".
 */
export function recallAlertStatus(
  weeks: readonly WeeklyPerformance[],
  alertBelow: number,
  consecutiveWeeks: number,
): string {
  const rule = `A recall alert is raised when recall stays below ${formatPercent(alertBelow)} for ${consecutiveWeeks} judged week${consecutiveWeeks === 1 ? '' : 's'} in a row.`;
  const judged = [...weeks].filter((w) => w.judged && w.recall !== null).sort((a, b) => (a.week < b.week ? 1 : -1));
  if (judged.length === 0) return `${rule} No week has enough labels to judge yet.`;
  let streak = 0;
  while (streak < judged.length && (judged[streak].recall as number) < alertBelow) streak++;
  const latest = judged[0];
  const latestText = `Latest judged week ${latest.week}: recall ${formatPercent(latest.recall as number)}`;
  if (streak === 0) return `${rule} ${latestText}, at or above the line.`;
  if (streak >= consecutiveWeeks) return `${rule} ${latestText}; ${streak} weeks in a row below the line: alert.`;
  return `${rule} ${latestText}, below the line, but only ${streak} of the ${consecutiveWeeks} weeks in a row needed: no alert yet.`;
}

/**
 * The same rules as `npm run monitor` (core/cli/monitor.ts monitoringOptions, checked equal in a test). Not imported
 * from there: CLI modules run top-level code and must stay out of the Electron bundle.
 */
export function monitoringOptionsOf(config: AppConfig, modelsRoot: string, actor: string): MonitoringOptions {
  return { expectations: readModelExpectations(modelsRoot), ...alertRulesOf(config), actor };
}
