import type { HtmlReportFile } from '../api/report-methods';
import type { AppConfig } from '../config/app-config';
import type { DriftReport } from '../drift/drift-report';
import { alertRulesOf } from '../monitoring/alert-sweep';
import { isoWeekOf } from '../monitoring/iso-week';
import { weeklyPerformance } from '../monitoring/weekly-performance';
import { listInstalledVersions, productionRecallTarget } from '../registry/installed-versions';
import type { Store } from '../store/store';
import { type GovernanceReportData, type ReportBatch, renderGovernanceReport } from './governance-report';

export interface ReportPeriod {
  /** First day, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The default period: the 28 days up to and including today (UTC). */
export function lastFourWeeks(now: Date): ReportPeriod {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - 27 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** Refuses a malformed or reversed period by name. */
export function checkPeriod(period: ReportPeriod): void {
  for (const [name, day] of [
    ['from', period.from],
    ['to', period.to],
  ] as const) {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw new RangeError(`the report's "${name}" day must be a date as YYYY-MM-DD, not ${JSON.stringify(day)}`);
  }
  if (period.from > period.to) throw new RangeError(`the period starts (${period.from}) after it ends (${period.to})`);
}

/**
 * What the governance report shows of a period, read from the store: daily batches scored in it (quick scores
 * are single patients, not batches), the weeks it overlaps, and the alerts raised in it.
 */
export function governanceReportData(
  store: Store,
  config: AppConfig,
  options: ReportPeriod & { generatedBy: string; productionVersion: string | null; recallTarget: number; now: Date },
): GovernanceReportData {
  checkPeriod(options);
  const inPeriod = (iso: string) => iso.slice(0, 10) >= options.from && iso.slice(0, 10) <= options.to;
  const batches: ReportBatch[] = store.batches
    .list({ status: 'completed', limit: Number.MAX_SAFE_INTEGER })
    .filter((b) => b.source !== 'quick-score' && inPeriod(b.predictionDate))
    .reverse()
    .map((b) => ({
      batchId: b.id,
      fileName: b.fileName,
      predictionDate: b.predictionDate,
      modelVersion: b.modelVersion,
      rowsValid: b.rowsValid,
      counts: { ...b.counts },
      drift: (store.drift.get(b.id)?.report as DriftReport | undefined) ?? null,
    }));
  const firstWeek = isoWeekOf(options.from);
  const lastWeek = isoWeekOf(options.to);
  const weeks = weeklyPerformance(store.labels.listMatched(), {
    minimum: alertRulesOf(config).minimum,
    retained: store.retention.retainedPerformance(),
  }).filter((w) => w.week >= firstWeek && w.week <= lastWeek);
  const head = store.audit.head();
  return {
    period: { from: options.from, to: options.to },
    generatedAt: options.now.toISOString(),
    generatedBy: options.generatedBy,
    productionVersion: options.productionVersion,
    recallTarget: options.recallTarget,
    recallAlertBelow: config.monitoring.recallAlertBelow,
    batches,
    weeks,
    alerts: store.alerts.list().filter((a) => inPeriod(a.raisedAt)),
    auditHead: head ? { seq: head.seq, hash: head.hash } : null,
  };
}

/**
 * The report of a period (default: the last 28 days) as the app and the CLI deliver it, with its audit event:
 * who made it, for which period, and how many batches and alerts it covers.
 */
export function makeGovernanceReport(
  store: Store,
  config: AppConfig,
  modelsRoot: string,
  options: Partial<ReportPeriod> & { actor: string; now: Date },
): HtmlReportFile {
  const period = { ...lastFourWeeks(options.now) };
  if (options.from) period.from = options.from;
  if (options.to) period.to = options.to;
  const production = listInstalledVersions(modelsRoot).find((v) => v.location === 'production');
  const data = governanceReportData(store, config, {
    ...period,
    generatedBy: options.actor,
    productionVersion: production?.metadata?.version ?? null,
    recallTarget: productionRecallTarget(modelsRoot),
    now: options.now,
  });
  store.audit.append({
    actor: options.actor,
    action: 'report.generated',
    subject: 'governance',
    details: { from: period.from, to: period.to, batches: data.batches.length, alerts: data.alerts.length },
  });
  return {
    fileName: `glucoscreen_report_${period.from}_${period.to}.html`,
    mimeType: 'text/html',
    content: renderGovernanceReport(data),
    period,
  };
}
