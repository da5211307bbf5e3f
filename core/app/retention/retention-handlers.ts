import { fail, ok } from '../../api/result';
import type { RetentionPurgeDto } from '../../api/retention-methods';
import { readModelExpectations } from '../../monitoring/monitoring-refresh';
import { purgePatientRows, type RetentionPurgeResult, RetentionRefused } from '../../retention/retention-purge';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** The retention purge from the Settings view: a preview first, then the purge the admin confirmed. */
export function retentionHandlers(app: AppContext): GroupHandlers<'retention'> {
  const run = (actor: string, dryRun: boolean): RetentionPurgeResult => {
    const months = app.settings?.current().retention.patientRowsMonths ?? null;
    return purgePatientRows(app.store, {
      months,
      now: app.now(),
      actor,
      dryRun,
      expectations: app.admin
        ? readModelExpectations(app.admin.modelsRoot)
        : { validationEstimates: {}, cbpeReferences: {} },
      rejectedDir: app.rejectedDir,
    });
  };
  const toDto = (result: RetentionPurgeResult): RetentionPurgeDto => ({
    dryRun: result.dryRun,
    retentionMonths: app.settings?.current().retention.patientRowsMonths ?? null,
    cutoff: result.cutoff,
    counts: result.counts,
    purgeSeq: result.purgeSeq,
  });
  return {
    async retentionPreview(_arg, ctx) {
      try {
        return ok(toDto(run(app.actor(ctx).username, true)));
      } catch (error) {
        if (error instanceof RetentionRefused) return fail('conflict', error.message);
        throw error;
      }
    },
    async purgePatientRows(arg, ctx) {
      const actor = app.actor(ctx).username;
      try {
        const preview = run(actor, true);
        if (preview.cutoff !== arg.cutoff) {
          return fail(
            'conflict',
            `The cut-off is now ${preview.cutoff}, not ${arg.cutoff} as previewed: preview the purge again.`,
          );
        }
        const done = run(actor, false);
        // Cached worklists of purged batches would still show their patients.
        app.worklists.clear();
        return ok(toDto(done));
      } catch (error) {
        if (error instanceof RetentionRefused) return fail('conflict', error.message);
        throw error;
      }
    },
  };
}
