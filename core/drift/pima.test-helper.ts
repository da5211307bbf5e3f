import { ingestCsvFile } from '../ingest/csv-ingest';
import { fitPreprocessor, type PreprocessParams } from '../preprocess/pipeline';
import type { PatientTable } from '../table/patient-table';
import { takeRows } from '../table/patient-table';
import { pimaPath } from '../testing/pima';
import { driftColumnsOf } from './drift-columns';
import type { DriftSample } from './drift-config';
import { mulberry32 } from './seeded-samples.test-helper';

export const PIMA_PATH = pimaPath();

export async function loadPima(): Promise<PatientTable> {
  const result = await ingestCsvFile(PIMA_PATH, { mode: 'training' });
  if (!result.ok) throw new Error(`cannot read ${PIMA_PATH}: ${result.report.fileError?.message ?? 'rows rejected'}`);
  return result.table;
}

/** Fisher-Yates with the integer PRNG: the same permutation on every run. */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const next = mulberry32(seed);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export interface PimaSetup {
  table: PatientTable;
  params: PreprocessParams;
  /** 60% of the rows (460), like the training part the bundle's reference.json holds. */
  referenceTable: PatientTable;
  reference: DriftSample;
  /** The other 308 rows. */
  heldOutTable: PatientTable;
}

export async function pimaSetup(seed = 20251126): Promise<PimaSetup> {
  const table = await loadPima();
  const order = seededPermutation(table.rowCount, seed);
  const cut = Math.round(table.rowCount * 0.6);
  const referenceTable = takeRows(table, order.subarray(0, cut));
  const heldOutTable = takeRows(table, order.subarray(cut));
  const params = fitPreprocessor(referenceTable);
  return { table, params, referenceTable, reference: driftColumnsOf(params, referenceTable), heldOutTable };
}
