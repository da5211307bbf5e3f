import { FEATURE_COLUMNS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { mean } from './descriptive-stats';
import type { FeatureOutliers, OutlierPatient, OutliersSection } from './eda-report';
import { type PreparedFeatures, ZERO_MISSING_COLUMNS } from './feature-values';

/**
 * Section 8: values with |z| above the threshold, z = (x − mean) / population std over the measured values
 * (scipy.stats.zscore, ddof = 0, as the ingest's z-score warning). Lists only patient_id, line and z of the most
 * extreme few: no other patient data leaves this function.
 */
export function outliersSection(
  table: PatientTable,
  prepared: PreparedFeatures,
  zThreshold: number,
  listed: number,
): OutliersSection {
  const flaggedRows = new Uint8Array(table.rowCount);
  let totalFlaggedValues = 0;
  const features = FEATURE_COLUMNS.map((feature): FeatureOutliers => {
    const p = prepared[feature];
    const n = p.sorted.length;
    const m = mean(p.sorted);
    let std: number | null = null;
    if (m !== null) {
      let s2 = 0;
      for (let i = 0; i < n; i++) s2 += (p.sorted[i] - m) ** 2;
      std = Math.sqrt(s2 / n);
    }
    const result: FeatureOutliers = {
      feature,
      zerosExcluded: p.zerosExcluded,
      n,
      mean: m,
      std,
      count: 0,
      share: 0,
      low: 0,
      high: 0,
      extremes: [],
    };
    if (m === null || std === null || !(std > 0)) return result;
    // Compare |x − mean| against threshold·std in the loop; divide only for the few flagged.
    const limit = zThreshold * std;
    const values = p.measured;
    const top: { row: number; z: number }[] = [];
    for (let i = 0; i < table.rowCount; i++) {
      const d = values[i] - m;
      if (!(Math.abs(d) > limit)) continue; // also skips NaN
      if (d > 0) result.high++;
      else result.low++;
      flaggedRows[i] = 1;
      if (listed > 0) keepTop(top, i, d / std, listed);
    }
    result.count = result.low + result.high;
    result.share = n ? result.count / n : 0;
    result.extremes = top.map(
      ({ row, z }): OutlierPatient => ({ patientId: table.ids[row], lineNumber: table.lineNumbers[row], z }),
    );
    totalFlaggedValues += result.count;
    return result;
  });
  let rowsWithAnyOutlier = 0;
  for (let i = 0; i < flaggedRows.length; i++) rowsWithAnyOutlier += flaggedRows[i];
  return { zThreshold, zerosExcludedFor: [...ZERO_MISSING_COLUMNS], features, totalFlaggedValues, rowsWithAnyOutlier };
}

/** Keeps `top` as the `size` largest |z| seen so far, largest first; an equal |z| keeps the earlier row first. */
function keepTop(top: { row: number; z: number }[], row: number, z: number, size: number): void {
  const magnitude = Math.abs(z);
  if (top.length === size && magnitude <= Math.abs(top[size - 1].z)) return;
  let at = top.length;
  while (at > 0 && Math.abs(top[at - 1].z) < magnitude) at--;
  top.splice(at, 0, { row, z });
  if (top.length > size) top.pop();
}
