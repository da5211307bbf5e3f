import { driftColumnsOf } from '../drift/drift-columns';
import type { DriftSample } from '../drift/drift-config';
import { fitPreprocessor, type PreprocessParams } from '../preprocess/pipeline';
import type { PatientTable } from '../table/patient-table';
import { takeRows } from '../table/patient-table';
import { loadPimaTable } from './pima';
import { seededPermutation } from './seeded-samples';

export interface PimaSetup {
  table: PatientTable;
  params: PreprocessParams;
  /** 60% of the rows (460), like the training part the bundle's reference.json holds. */
  referenceTable: PatientTable;
  reference: DriftSample;
  /** The other 308 rows. */
  heldOutTable: PatientTable;
}

/** The Pima rows split 60/40 by a seeded permutation; the Python oracle splits them the same way (same seed). */
export async function pimaSetup(seed = 20251126): Promise<PimaSetup> {
  const table = await loadPimaTable();
  const order = seededPermutation(table.rowCount, seed);
  const cut = Math.round(table.rowCount * 0.6);
  const referenceTable = takeRows(table, order.subarray(0, cut));
  const heldOutTable = takeRows(table, order.subarray(cut));
  const params = fitPreprocessor(referenceTable);
  return { table, params, referenceTable, reference: driftColumnsOf(params, referenceTable), heldOutTable };
}
