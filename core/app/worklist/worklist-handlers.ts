import { createHash } from 'node:crypto';
import type { WorklistQueryParsed } from '../../api/inputs';
import { WorklistQuery } from '../../api/inputs';
import type { WorklistRow } from '../../api/outputs';
import { fail, ok } from '../../api/result';
import type { AppContext } from '../app-context';
import { exportFile } from '../batches/batch-mapping';
import type { GroupHandlers } from '../dispatch';
import { recordStep } from '../follow-up/follow-up-steps';
import { riskRiseOf } from '../follow-up/risk-rise-marker';
import { auditRead, queryShape } from '../users/read-access';
import { assumedValueFiller, explainRows, patientDetail } from './patient-detail';
import { topFactors } from './risk-factors';
import { reviewState, rowOf } from './worklist-cache';
import { auditExport, worklistCsvSlices, worklistFileName } from './worklist-csv';

/** One batch's worklist: pages, a patient's detail, reviews, the exports and the high-risk list. */
export function worklistHandlers(app: AppContext): GroupHandlers<'worklist'> {
  const { store } = app;
  return {
    async worklistPage(arg, ctx) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = app.worklists.of(record);
      const page = index.page(arg.query, arg.offset, arg.limit);
      auditRead(app, ctx, 'read.worklist-page', String(record.id), {
        ...queryShape(arg.query),
        from: arg.offset,
        rows: page.rows.length,
      });
      const explanations = await explainRows(
        app,
        record,
        page.rows.map((r) => r.rowIndex),
      );
      const fill = await assumedValueFiller(app, record);
      const rows: WorklistRow[] = page.rows.map((row, i) => ({
        ...fill(row),
        topFactors: explanations ? topFactors(explanations[i].factors) : null,
        riskRise: riskRiseOf(store, record.id, row),
      }));
      return ok({
        batchId: arg.batchId,
        total: index.rowCount,
        matching: page.matching,
        offset: arg.offset,
        rows,
        categoryCounts: index.categoryCounts(),
        incompleteCount: index.incompleteCount(),
      });
    },

    async patientDetail(arg, ctx) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = app.worklists.of(record);
      const rowIndex = rowOf(index, arg.patientId, arg.rowIndex);
      if (rowIndex < 0) return fail('not-found', `Patient ${arg.patientId} is not in batch ${arg.batchId}.`);
      auditRead(app, ctx, 'read.patient-detail', arg.patientId, { batchId: record.id, rowIndex });
      return ok(await patientDetail(app, record, rowIndex, index));
    },

    async markReviewed(arg, ctx) {
      const user = app.actor(ctx);
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = app.worklists.of(record);
      const rowIndex = rowOf(index, arg.patientId, arg.rowIndex);
      if (rowIndex < 0) return fail('not-found', `Patient ${arg.patientId} is not in batch ${arg.batchId}.`);
      const review = store.transaction(() => {
        const added = store.reviews.add({ batchId: record.id, rowIndex, reviewedBy: user.username, note: arg.note });
        // The note stays in the reviews table; the audit line records that there was one, not its text.
        store.audit.append({
          actor: user.username,
          action: 'patient.reviewed',
          subject: arg.patientId,
          // A hash of the note (not its text) lets audit:verify notice a note edited afterwards.
          details: {
            batchId: record.id,
            rowIndex,
            withNote: arg.note.length > 0,
            reviewId: added.id,
            noteSha256: createHash('sha256').update(arg.note).digest('hex'),
          },
        });
        // Also the follow-up's `reviewed` step, where the patient's follow-up status allows one.
        recordStep(store, {
          actor: user.username,
          patientId: arg.patientId,
          batchId: record.id,
          rowIndex,
          status: 'reviewed',
          note: arg.note,
        });
        return added;
      });
      const state = reviewState(review);
      index.setReview(rowIndex, state);
      return ok(state);
    },

    // Kept for callers that want the file in one answer; the app's own button streams (worklist-export-handlers).
    async exportWorklist(arg, ctx) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const query = arg.query ?? WorklistQuery.parse({});
      let content = '';
      let rows = 0;
      for await (const slice of worklistCsvSlices(app, record, query)) {
        content += slice.text;
        rows += slice.rows;
      }
      auditExport(app, ctx, record, rows, query, arg.query !== undefined);
      return ok(exportFile(worklistFileName(record), content, rows));
    },

    async highRiskList(arg, ctx) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = app.worklists.of(record);
      const query: WorklistQueryParsed = WorklistQuery.parse({ categories: ['High'] });
      const fill = await assumedValueFiller(app, record);
      const rows = [...index.order(query)].map((i) => fill(index.row(i)));
      const user = app.actor(ctx);
      store.audit.append({
        actor: user.username,
        action: 'batch.high-risk-list',
        subject: String(record.id),
        details: { rows: rows.length },
      });
      return ok({
        batch: app.worklists.summaryOf(record),
        generatedAt: app.now().toISOString(),
        generatedBy: user.username,
        rows,
      });
    },
  };
}
