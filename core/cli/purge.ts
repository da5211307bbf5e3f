/**
 * npm run purge -- [--config FILE] [--db FILE] [--dry-run] [--before YYYY-MM-DD] [--yes]
 *   Removes the patient rows of batches screened before the retention cut-off (retention.patientRowsMonths, as
 *   stored by the app's Settings, else the config file), moved back to a Monday so that monitoring weeks are purged
 *   whole. Weekly figures, drift results and the audit chain stay (purged events become tombstones under a signed
 *   purge event). --before moves the cut-off earlier, never later. Without --yes it only shows what would go.
 * Exit codes: 0 done (or nothing to purge), 1 not confirmed (counts shown, nothing changed), 2 error or refused.
 */
import { dirname, resolve } from 'node:path';
import { validateSettings } from '../config/editable-settings';
import { readModelExpectations } from '../monitoring/monitoring-refresh';
import { purgePatientRows, type RetentionPurgeResult, RetentionRefused } from '../retention/retention-purge';
import type { Store } from '../store/store';
import { CliUsageError, EXIT_CODES, openCliContext, parseCliArgs, runCli } from './cli-context';
import { runMain } from './run-main';

const USAGE = 'usage: npm run purge -- [--config FILE] [--db FILE] [--dry-run] [--before YYYY-MM-DD] [--yes]';

/** The retention setting the app runs on: the stored Settings when there are any, else the config file's. */
function retentionMonths(store: Store, fromConfig: number | null): number | null {
  const stored = store.settings.get();
  if (!stored) return fromConfig;
  const checked = validateSettings(stored.values);
  if (!checked.ok) throw new Error('the stored settings are not valid: open the Settings view to correct them');
  return checked.settings.retention.patientRowsMonths;
}

function printCounts(result: RetentionPurgeResult, out: (line: string) => void) {
  const c = result.counts;
  out(`cut-off: batches screened before ${result.cutoff}`);
  out(
    `${c.batches} batch(es): ${c.predictions} scored rows, ${c.rowIssues} rejected rows and warnings, ${c.reviews} reviews, ` +
      `${c.labels} labels, ${c.shadowRows} shadow scores`,
  );
  out(
    `${c.patients} patient(s) with no screening left: ${c.followUpSteps} follow-up steps, ${c.followUpResults} results, ` +
      `${c.followUpAssignments} assignments`,
  );
  out(`${c.auditEvents} audit event(s) tombstoned, ${c.files} file(s) removed`);
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  let close = () => {};
  return runCli(
    USAGE,
    async () => {
      const args = parseCliArgs(argv, {
        'dry-run': { type: 'boolean', default: false },
        before: { type: 'string' },
        yes: { type: 'boolean', default: false },
      });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      if (args['dry-run'] && args.yes) throw new CliUsageError('--dry-run and --yes contradict each other');
      const ctx = openCliContext(args, out);
      close = () => ctx.store.close();
      const request = {
        months: retentionMonths(ctx.store, ctx.config.retention.patientRowsMonths),
        now: new Date(),
        before: args.before ?? null,
        actor: ctx.config.screening.actor,
        expectations: readModelExpectations(dirname(resolve(ctx.config.paths.modelDir))),
        rejectedDir: resolve(ctx.config.paths.rejectedDir),
      };
      try {
        const preview = purgePatientRows(ctx.store, { ...request, dryRun: true });
        if (!args.yes) {
          out('dry run: nothing was changed');
          printCounts(preview, out);
          if (args['dry-run'] || preview.counts.batches === 0) return EXIT_CODES.done;
          out('run again with --yes to purge');
          return EXIT_CODES.flagged;
        }
        const done = purgePatientRows(ctx.store, { ...request, dryRun: false });
        if (done.purgeSeq === null) {
          out(`nothing to purge before ${done.cutoff}`);
          return EXIT_CODES.done;
        }
        out(`purged (audit event ${done.purgeSeq})`);
        printCounts(done, out);
        return EXIT_CODES.done;
      } catch (error) {
        if (error instanceof RetentionRefused) throw new CliUsageError(error.message);
        throw error;
      }
    },
    () => close(),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runMain('purge', () => main(process.argv.slice(2)));
