import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from './patient-table';

/** Joins chunks into one table (one copy per column). */
export function concatTables(parts: PatientTable[], withOutcome: boolean): PatientTable {
  const rowCount = parts.reduce((sum, p) => sum + p.rowCount, 0);
  const features = emptyFeatureColumns(rowCount);
  const lineNumbers = new Uint32Array(rowCount);
  const outcome = withOutcome ? new Uint8Array(rowCount) : null;
  const ids: string[] = [];
  let offset = 0;
  for (const part of parts) {
    for (const c of FEATURE_COLUMNS) features[c].set(part.features[c], offset);
    lineNumbers.set(part.lineNumbers, offset);
    if (outcome && part.outcome) outcome.set(part.outcome, offset);
    for (const id of part.ids) ids.push(id);
    offset += part.rowCount;
  }
  return { rowCount, ids, lineNumbers, features, outcome };
}
