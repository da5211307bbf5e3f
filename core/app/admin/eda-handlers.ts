import type { EdaReport as EdaReportDto } from '../../api/eda-types';
import { fail, ok } from '../../api/result';
import { analyseDataset } from '../../eda/analyse-dataset';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { TRAINING_DATA_MISSING } from './admin-deps';
import { readProductionEdaSnapshot } from './eda-snapshot-reader';

/** The EDA view: of the training data, or of a CSV the admin loads. */
export function edaHandlers(app: AppContext): GroupHandlers<'eda'> {
  return {
    async edaReport(arg) {
      if (arg.source === 'training') {
        if (!app.admin) return fail('not-found', TRAINING_DATA_MISSING);
        if (!app.admin.trainingDataPath) {
          // An installed app has no training file: the production model carries the statistics of its training data.
          let stored: ReturnType<typeof readProductionEdaSnapshot>;
          try {
            stored = readProductionEdaSnapshot(app.admin.modelsRoot);
          } catch (error) {
            return fail('conflict', `The training data statistics are not usable: ${(error as Error).message}`);
          }
          if (!stored) return fail('not-found', TRAINING_DATA_MISSING);
          return ok({
            source: 'training',
            name: `training data of model ${stored.version} (statistics stored with the model)`,
            rejectedRows: 0,
            report: stored.snapshot.report as EdaReportDto,
          });
        }
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
