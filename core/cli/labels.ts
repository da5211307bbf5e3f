/**
 * npm run labels -- --input labels.csv [--config C] [--db DB] [--json report.json]
 * Imports delayed ground truth, then refreshes weekly performance and alerts.
 * Exit codes: 0 imported, 1 file rejected or rows rejected/unmatched/conflicting (all listed), 2 error.
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { importLabels } from '../labels/label-import';
import { readModelExpectations, refreshMonitoring } from '../monitoring/monitoring-refresh';
import { type CliContext, CliUsageError, EXIT_CODES, openCliContext, parseCliArgs, runCli } from './cli-context';
import { alertLines, monitoringOptions } from './monitoring-options';
import { runMain } from './run-main';

const USAGE = 'usage: npm run labels -- --input labels.csv [--config CONFIG.json] [--db DB] [--json REPORT.json]';

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  let ctx: CliContext | null = null;
  return runCli(
    USAGE,
    async () => {
      const args = parseCliArgs(argv, { input: { type: 'string' } });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      if (!args.input) throw new CliUsageError('--input is required');
      ctx = openCliContext(args, out);
      const report = await importLabels(ctx.store, args.input, ctx.config.screening.actor);
      if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
      if (report.status === 'rejected') {
        ctx.log.error(report.message ?? 'labels file rejected');
        return EXIT_CODES.flagged;
      }
      out(
        `labels ${report.file}: ${report.rowsRead} rows; matched ${report.matched}, newly stored ${report.inserted}, ` +
          `already stored ${report.unchanged}, unmatched ${report.unmatched.length}, conflicting ${report.conflicts.length}, ` +
          `rejected ${report.rejected.length}`,
      );
      for (const u of report.unmatched) out(`  unmatched: line ${u.line}, patient ${u.patientId}: ${u.reason}`);
      for (const c of report.conflicts) {
        out(
          `  conflict: ${c.line === null ? '' : `line ${c.line}, `}patient ${c.patientId}${c.diagnosisDate ? ` (${c.diagnosisDate})` : ''}: ` +
            `stored outcome ${c.storedOutcome}, this file says ${c.newOutcome}; not stored`,
        );
      }
      for (const r of report.rejected)
        out(`  rejected: line ${r.line}, column ${r.column}, value ${JSON.stringify(r.value)}: ${r.message}`);
      const snapshot = refreshMonitoring(
        ctx.store,
        monitoringOptions(ctx.config, readModelExpectations(dirname(ctx.config.paths.modelDir))),
      );
      for (const line of alertLines(snapshot.raised, 'new alert')) out(line);
      const clean = report.unmatched.length === 0 && report.conflicts.length === 0 && report.rejected.length === 0;
      return clean ? EXIT_CODES.done : EXIT_CODES.flagged;
    },
    () => (ctx as CliContext | null)?.store.close(),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runMain('labels', () => main(process.argv.slice(2)));
