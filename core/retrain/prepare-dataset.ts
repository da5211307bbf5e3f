import { join } from 'node:path';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { describeReport } from '../ingest/validation-report';
import type { DatasetVersion } from '../store/dataset-repository';
import type { Store } from '../store/store';
import type { PatientTable } from '../table/patient-table';
import { writeSnapshot } from './dataset-snapshot';
import { type AssemblyCounts, assembleTrainingSet, type TrainingSet } from './training-set';

/** The data folder's subfolder of dataset snapshots. */
export const DATASETS_DIR = 'datasets';

/** The original training file through the product's ingest (training mode); a rejected file throws, naming it. */
export async function loadOriginalTrainingData(path: string): Promise<PatientTable> {
  const result = await ingestCsvFile(path, { mode: 'training' });
  if (!result.ok || !result.table.outcome) {
    throw new Error(`the original training data ${path} was rejected: ${describeReport(result.report).join('; ')}`);
  }
  return result.table;
}

/** The training set the store's labels give today, with its counts; nothing is written. */
export function assembleFromStore(store: Store, original: PatientTable): { set: TrainingSet; counts: AssemblyCounts } {
  const unmatched = store.labels.list().filter((l) => l.batchId === null).length;
  return assembleTrainingSet(original, store.labels.listMatchedWithInputs(), unmatched);
}

/**
 * Snapshots the set into `<dataDir>/datasets/<sha256>.csv` and records the dataset version (or finds the one with the
 * same content). The file is written before the record, so a recorded version always has its file.
 */
export function snapshotDataset(
  store: Store,
  dataDir: string,
  assembled: { set: TrainingSet; counts: AssemblyCounts },
  actor: string,
): { version: DatasetVersion; path: string; created: boolean } {
  const file = writeSnapshot(join(dataDir, DATASETS_DIR), assembled.set);
  const { counts } = assembled;
  const { version, created } = store.datasets.record({
    sha256: file.sha256,
    fileName: file.fileName,
    rowsTotal: assembled.set.table.rowCount,
    rowsBySource: counts.rowsBySource,
    excluded: counts.excluded,
    labelFrom: counts.labelFrom,
    labelTo: counts.labelTo,
    createdBy: actor,
  });
  return { version, path: file.path, created };
}
