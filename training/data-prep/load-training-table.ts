import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { describeReport } from '../../core/ingest/validation-report';
import type { PatientTable } from '../../core/table/patient-table';

/** Loads a training CSV through the product's ingest (training mode: Outcome required). Throws naming the problems. */
export async function loadTrainingTable(path: string): Promise<{ table: PatientTable; sha256: string }> {
  const result = await ingestCsvFile(path, { mode: 'training' });
  if (!result.ok) throw new Error(`training data rejected: ${describeReport(result.report).join('; ')}`);
  if (!result.table.outcome) throw new Error('training data has no Outcome column');
  return { table: result.table, sha256: result.sha256 };
}
