import { fail, ok } from '../../api/result';
import { FEATURE_COLUMNS, REQUIRED_COLUMNS } from '../../schema/columns';
import type { AppContext } from '../app-context';
import { toCsv } from '../csv-export';
import type { GroupHandlers } from '../dispatch';
import { safeFileName } from '../temp-upload';
import { auditRead } from '../users/read-access';
import { patientDetail } from '../worklist/patient-detail';
import { warningText } from '../worklist/worklist-cache';

/** One patient typed in by hand, scored at once. */
export function quickScoreHandlers(app: AppContext): GroupHandlers<'quickScore'> {
  return {
    async quickScore(arg, ctx) {
      const user = app.actor(ctx);
      const patientId =
        arg.patientId ??
        `QS-${app
          .now()
          .toISOString()
          .replace(/[-:.TZ]/g, '')
          .slice(0, 14)}`;
      // A batch of one through the very pipeline a file takes: same rules, same scorer, same audit.
      const content = toCsv(REQUIRED_COLUMNS, [[patientId, ...FEATURE_COLUMNS.map((f) => arg.features[f])]]);
      const outcome = await app.withTempFile(`${safeFileName(patientId)}.csv`, content, (path) =>
        app.screener.screenFile({ path, displayName: 'quick-score', actor: user.username, source: 'quick-score' }),
      );
      if (!outcome.ok) {
        const reason = outcome.report?.errors[0];
        return fail(
          outcome.code === 'no-model' ? 'no-model' : 'invalid-argument',
          reason ? warningText(reason.column, reason.message) : outcome.message,
        );
      }
      // A completed batch has at least one valid row (none would make it a rejected one): here, exactly this one.
      const record = app.store.batches.get(outcome.batchId);
      if (!record) throw new Error(`batch ${outcome.batchId} vanished after commit`);
      const detail = await patientDetail(app, record, 0, app.worklists.of(record));
      auditRead(app, ctx, 'read.quick-score', detail.patientId, { batchId: record.id });
      return ok({
        patientId: detail.patientId,
        score: detail.score,
        category: detail.category,
        recommended: detail.recommended,
        threshold: detail.threshold,
        modelVersion: detail.modelVersion,
        inputs: detail.inputs,
        warnings: outcome.report.warnings.map((w) => warningText(w.column, w.message)),
        assumed: detail.assumed,
        factors: detail.factors,
        batchId: String(record.id),
      });
    },
  };
}
