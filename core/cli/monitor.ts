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
import { readModelExpectations, refreshMonitoring } from '../monitoring/monitoring-refresh';
import { weeklyTableLines } from '../monitoring/weekly-table-text';
import { makeGovernanceReport } from '../report/report-data';
import { type CliContext, CliUsageError, EXIT_CODES, openCliContext, parseCliArgs, runCli } from './cli-context';
import { shadowCommand } from './monitor-shadow';
import { alertLines, monitoringOptions } from './monitoring-options';
import { runMain } from './run-main';

const USAGE = [
  'usage: npm run monitor -- [--config CONFIG.json] [--db DB] [--json SNAPSHOT.json] [--fail-on-alert]',
  '                          [--report REPORT.html [--from YYYY-MM-DD] [--to YYYY-MM-DD]]',
  '       npm run monitor -- --shadow [--shadow-version VERSION] [--json COMPARISON.json]',
  '       npm run monitor -- --set-shadow VERSION_OR_ID | --clear-shadow',
].join('\n');

// In their own module: labels imports them, and a CLI imported by another CLI would not run as a bundle.
export { alertLines, monitoringOptions } from './monitoring-options';

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
        shadow: { type: 'boolean', default: false },
        'shadow-version': { type: 'string' },
        'set-shadow': { type: 'string' },
        'clear-shadow': { type: 'boolean', default: false },
      });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      if (args['set-shadow'] !== undefined && args['clear-shadow']) {
        throw new CliUsageError('--set-shadow and --clear-shadow exclude each other');
      }
      ctx = openCliContext(args, out);
      if (args['set-shadow'] !== undefined || args['clear-shadow'] || args.shadow || args['shadow-version']) {
        return await shadowCommand(ctx, args);
      }
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

if (import.meta.url === `file://${process.argv[1]}`) runMain('monitor', () => main(process.argv.slice(2)));
