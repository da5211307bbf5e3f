import type { PatientTable } from '../table/patient-table';
import { analyseDataset } from './analyse-dataset';
import type { EdaReport } from './eda-report';

/** The file a model bundle carries its training data's EDA in, for installations without the training CSV. */
export const EDA_SNAPSHOT_FILE = 'eda-snapshot.json';

export interface EdaSnapshot {
  /** sha256 of the data the statistics were computed on. */
  dataSha256: string;
  rowCount: number;
  report: EdaReport;
}

/**
 * The nine sections' statistics of a training table with no individual patient in them: the outlier section lists
 * no extremes (those name a patient and line), only counts and shares. Everything else is aggregated already.
 */
export function edaSnapshot(table: PatientTable, dataSha256: string): EdaSnapshot {
  return { dataSha256, rowCount: table.rowCount, report: analyseDataset(table, { outliersListed: 0 }) };
}
