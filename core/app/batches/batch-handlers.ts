import { fail, ok } from '../../api/result';
import { alertRulesOf, raiseDueAlerts } from '../../monitoring/alert-sweep';
import { ID_COLUMN } from '../../schema/columns';
import type { AppContext } from '../app-context';
import { toCsv } from '../csv-export';
import type { GroupHandlers } from '../dispatch';
import { exportFile, MAX_REPORT_ISSUES, reportDto, stem, storedReportDto } from './batch-mapping';

/** Importing a daily file, the list of past batches, and each batch's validation report. */
export function batchHandlers(app: AppContext): GroupHandlers<'batches'> {
  const { store } = app;
  return {
    async importBatch(arg, ctx) {
      const user = app.actor(ctx);
      const outcome = await app.withTempFile(arg.fileName, arg.content, (path) =>
        app.screener.screenFile({
          path,
          displayName: arg.fileName,
          actor: user.username,
          source: 'app',
          onProgress: (p) => ctx.emit('importProgress', { operationId: arg.operationId, ...p }),
        }),
      );
      ctx.emit('importProgress', { operationId: arg.operationId, phase: 'done', done: 0, total: null });
      if (!outcome.ok) {
        return fail(outcome.code, outcome.message, outcome.report ? { report: reportDto(outcome.report) } : undefined);
      }
      const record = store.batches.get(outcome.batchId);
      if (!record) throw new Error(`batch ${outcome.batchId} vanished after commit`);
      // Alerts are due now, not when an admin next opens Monitoring.
      const alertsRaised = app.admin
        ? raiseDueAlerts(store, { ...alertRulesOf(app.admin.config), actor: user.username }).length
        : 0;
      return ok({
        alertsRaised,
        batch: app.worklists.summaryOf(record),
        report: reportDto(outcome.report),
        incompleteCount: app.worklists.of(record).incompleteCount(),
      });
    },

    async listBatches(arg) {
      return ok(store.batches.list({ limit: arg.limit, offset: arg.offset }).map((b) => app.worklists.summaryOf(b)));
    },

    async getBatch(arg) {
      const record = app.batchRecord(arg.batchId);
      return record ? ok(app.worklists.summaryOf(record)) : fail('not-found', `There is no batch ${arg.batchId}.`);
    },

    async getValidationReport(arg) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const errors = store.batches.issues(record.id, { severity: 'error', limit: MAX_REPORT_ISSUES });
      const warnings = store.batches.issues(record.id, {
        severity: 'warning',
        limit: Math.max(0, MAX_REPORT_ISSUES - errors.length),
      });
      const warningTotal = Object.values(record.warningsByRule).reduce((a, b) => a + b, 0);
      return ok(storedReportDto(record, [...errors, ...warnings], record.rowsRejected + warningTotal));
    },

    async exportRejectedRows(arg, ctx) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const issues = store.batches.issues(record.id, { severity: 'error' });
      store.audit.append({
        actor: app.actor(ctx).username,
        action: 'batch.rejected-rows-exported',
        subject: String(record.id),
        details: { rows: issues.length },
      });
      const content = toCsv(
        ['line', ID_COLUMN, 'column', 'value', 'rule', 'reason'],
        issues.map((i) => [i.line, i.patientId, i.column, i.value, i.rule, i.message]),
      );
      return ok(exportFile(`${stem(record.fileName)}_rejected_rows.csv`, content, issues.length));
    },
  };
}
