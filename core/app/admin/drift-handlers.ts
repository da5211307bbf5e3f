import type { DriftReport } from '../../api/drift-types';
import { fail, ok } from '../../api/result';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** The drift view: one batch's stored report, and the verdict over time. */
export function driftHandlers(app: AppContext): GroupHandlers<'drift'> {
  const { store } = app;
  return {
    async driftReport(arg) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const drift = store.drift.get(record.id);
      if (!drift) return fail('not-found', `Batch ${arg.batchId} was not checked for drift.`);
      return ok({
        batchId: String(record.id),
        fileName: record.fileName,
        predictionDate: record.predictionDate,
        computedAt: drift.computedAt,
        report: drift.report as DriftReport,
      });
    },

    async driftHistory(arg) {
      const points = store.drift.list(arg.limit).flatMap((drift) => {
        const batch = store.batches.get(drift.batchId);
        if (!batch) return [];
        const report = drift.report as DriftReport;
        return [
          {
            batchId: String(batch.id),
            fileName: batch.fileName,
            predictionDate: batch.predictionDate,
            rows: batch.rowsValid,
            datasetDrift: drift.datasetDrift,
            driftedCount: drift.driftedCount,
            featureCount: report.datasetDrift.featureCount,
            share: report.datasetDrift.share,
            driftedFeatures: report.driftedFeatures,
          },
        ];
      });
      return ok(points.reverse());
    },
  };
}
