/**
 * npm run monitor [-- --config C] [--db DB] [--json snapshot.json] [--fail-on-alert]
 *                     [--report report.html [--from YYYY-MM-DD] [--to YYYY-MM-DD]]
 * Prints weekly realised performance (by ISO week and model version) beside the label-free estimate, and the alerts;
 * --report also writes the printable drift and monitoring report of a period (default: the last 28 days).
 * Exit codes: 0 done (1 with --fail-on-alert when an alert is unacknowledged), 2 error.
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HtmlReportFile } from '../api/report-methods';
import type { AppConfig } from '../config/app-config';
import { alertRulesOf } from '../monitoring/alert-sweep';
import {
  type ModelExpectations,
  type MonitoringOptions,
  readModelExpectations,
  refreshMonitoring,
} from '../monitoring/monitoring-refresh';
import { weeklyTableLines } from '../monitoring/weekly-table-text';
import { makeGovernanceReport } from '../report/report-data';
import { type CliContext, CliUsageError, EXIT_CODES, openCliContext, parseCliArgs, runCli } from './cli-context';

const USAGE =
  'usage: npm run monitor -- [--config CONFIG.json] [--db DB] [--json SNAPSHOT.json] [--fail-on-alert] ' +
  '[--report REPORT.html [--from YYYY-MM-DD] [--to YYYY-MM-DD]]';

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

function pct(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(3);
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  let ctx: CliContext | null = null;
  return runCli(
    USAGE,
    async () => {
      const args = parseCliArgs(argv, {
        'fail-on-alert': { type: 'boolean', default: false },
        report: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
      });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      ctx = openCliContext(args, out);
      const snapshot = refreshMonitoring(
        ctx.store,
        monitoringOptions(ctx.config, readModelExpectations(dirname(ctx.config.paths.modelDir))),
      );
      if (args.json) writeFileSync(args.json, `${JSON.stringify(snapshot, null, 2)}\n`);
      out('Realised performance by ISO week and model version (labelled predictions):');
      if (snapshot.weeks.length === 0) out('  no labelled predictions yet: import labels with npm run labels');
      else for (const line of weeklyTableLines(snapshot.weeks)) out(line);
      if (snapshot.estimates.length > 0) {
        out('Estimated performance without labels (CBPE, 3 standard errors):');
        for (const e of snapshot.estimates) {
          const r = e.estimate.recall;
          const p = e.estimate.precision;
          out(
            `  ${e.week} ${e.modelVersion}: n ${e.estimate.n}, recall ${pct(r.value)} [${pct(r.lower)}, ${pct(r.upper)}], ` +
              `precision ${pct(p.value)} [${pct(p.lower)}, ${pct(p.upper)}], F2 ${pct(e.estimate.fBeta.value)}`,
          );
        }
      }
      if (args.report) writeReport(ctx, args.report, { from: args.from, to: args.to });
      else if (args.from || args.to) throw new CliUsageError('--from and --to go with --report');
      const open = snapshot.alerts.filter((a) => !a.acknowledgedAt);
      out(`Alerts: ${open.length} open, ${snapshot.alerts.length - open.length} acknowledged`);
      for (const line of alertLines(open, 'open')) out(line);
      return args['fail-on-alert'] && open.length > 0 ? EXIT_CODES.flagged : EXIT_CODES.done;
    },
    () => (ctx as CliContext | null)?.store.close(),
  );
}

function writeReport(ctx: CliContext, path: string, period: { from?: string; to?: string }): void {
  let report: HtmlReportFile;
  try {
    report = makeGovernanceReport(ctx.store, ctx.config, dirname(ctx.config.paths.modelDir), {
      ...period,
      actor: ctx.config.screening.actor,
      now: new Date(),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new CliUsageError(error.message);
    throw error;
  }
  writeFileSync(path, report.content, { mode: 0o600 });
  ctx.out(`Report for ${report.period.from} to ${report.period.to} written to ${path}`);
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
