import type { EdaReport as EdaReportDto } from '../../api/eda-types';
import { fail, ok } from '../../api/result';
import { analyseDataset } from '../../eda/analyse-dataset';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { TRAINING_DATA_MISSING } from './admin-deps';

/** The EDA view: of the training data, or of a CSV the admin loads. */
export function edaHandlers(app: AppContext): GroupHandlers<'eda'> {
  return {
    async edaReport(arg) {
      if (arg.source === 'training') {
        if (!app.admin?.trainingDataPath) return fail('not-found', TRAINING_DATA_MISSING);
        const result = await ingestCsvFile(app.admin.trainingDataPath, { mode: 'training' });
        if (!result.ok) {
          return fail('internal', `The training data did not load: ${result.report.fileError?.message ?? 'rejected'}`);
        }
        return ok({
          source: 'training',
          name: 'training data',
          rejectedRows: result.report.rowsRejected,
          report: analyseDataset(result.table) as EdaReportDto,
        });
      }
      const result = await app.withTempFile(arg.fileName, arg.content, (path) =>
        ingestCsvFile(path, { mode: 'batch', displayName: arg.fileName }),
      );
      if (!result.ok || result.table.rowCount === 0) {
        const reason = result.report.fileError?.message ?? 'it has no valid rows';
        return fail('file-rejected', `${arg.fileName} cannot be analysed: ${reason}`);
      }
      return ok({
        source: 'file',
        name: arg.fileName,
        rejectedRows: result.report.rowsRejected,
        report: analyseDataset(result.table) as EdaReportDto,
      });
    },
  };
}
