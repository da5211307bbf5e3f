import type { PatientTable } from '../table/patient-table';

/** Per group: rows and positive outcomes (0 without outcomes), over the measured (non-NaN) values. */
interface GroupCounts {
  counts: number[];
  positives: number[];
  missingCount: number;
}

/** Counts each measured value of `values` into the group `groupOf` gives it; NaN counts as missing. */
export function countByGroup(
  table: PatientTable,
  values: ArrayLike<number>,
  groupCount: number,
  groupOf: (value: number) => number,
): GroupCounts {
  const counts = new Array<number>(groupCount).fill(0);
  const positives = new Array<number>(groupCount).fill(0);
  const outcome = table.outcome;
  let missingCount = 0;
  for (let i = 0; i < table.rowCount; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      missingCount++;
      continue;
    }
    const g = groupOf(v);
    counts[g]++;
    if (outcome && outcome[i] === 1) positives[g]++;
  }
  return { counts, positives, missingCount };
}
