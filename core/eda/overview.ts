import { FEATURE_COLUMNS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import type { ClassBalance, OverviewSection } from './eda-report';

export function classBalance(outcome: Uint8Array | null): ClassBalance | null {
  if (!outcome) return null;
  let positives = 0;
  for (let i = 0; i < outcome.length; i++) positives += outcome[i] === 1 ? 1 : 0;
  return {
    positives,
    negatives: outcome.length - positives,
    positiveShare: outcome.length ? positives / outcome.length : 0,
  };
}

export function overviewSection(table: PatientTable): OverviewSection {
  return {
    rowCount: table.rowCount,
    featureCount: FEATURE_COLUMNS.length,
    features: [...FEATURE_COLUMNS],
    classBalance: classBalance(table.outcome ? table.outcome.subarray(0, table.rowCount) : null),
  };
}
