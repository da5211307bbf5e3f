import { FEATURE_COLUMNS, OUTCOME_COLUMN } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { mean } from './descriptive-stats';
import type { CorrelationPair, CorrelationSection } from './eda-report';
import type { PreparedFeatures } from './feature-values';
import { pearsonMatrix } from './pearson';

/**
 * Section 5: Pearson matrix of the features (and Outcome when present), pairwise-complete over the values not
 * counted as missing (pandas' DataFrame.corr() after zeros → NaN), and the multicollinearity verdict.
 */
export function correlationSection(
  table: PatientTable,
  prepared: PreparedFeatures,
  threshold: number,
): CorrelationSection {
  const columns: string[] = [...FEATURE_COLUMNS];
  const data: Float64Array[] = FEATURE_COLUMNS.map((f) => prepared[f].measured);
  const centres: number[] = FEATURE_COLUMNS.map((f) => mean(prepared[f].sorted) ?? 0);
  if (table.outcome) {
    columns.push(OUTCOME_COLUMN);
    const outcome = Float64Array.from(table.outcome.subarray(0, table.rowCount));
    data.push(outcome);
    centres.push(mean(outcome) ?? 0);
  }
  const k = columns.length;
  const pearsons = pearsonMatrix(data, centres, table.rowCount);
  const matrix: (number | null)[][] = columns.map(() => new Array<number | null>(k).fill(null));
  const counts: number[][] = columns.map(() => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const { r, n } = pearsons[a][b];
      // The diagonal is 1 by definition wherever the column varies.
      const value = a === b && r !== null ? 1 : r;
      matrix[a][b] = value;
      matrix[b][a] = value;
      counts[a][b] = n;
      counts[b][a] = n;
    }
  }
  const featurePairs: CorrelationPair[] = [];
  for (let a = 0; a < FEATURE_COLUMNS.length; a++) {
    for (let b = a + 1; b < FEATURE_COLUMNS.length; b++) {
      const r = matrix[a][b];
      if (r !== null) featurePairs.push({ a: columns[a], b: columns[b], r, n: counts[a][b] });
    }
  }
  featurePairs.sort(byAbsR);
  const withOutcome: CorrelationPair[] | null = table.outcome
    ? FEATURE_COLUMNS.flatMap((_, a) => {
        const r = matrix[a][k - 1];
        return r === null ? [] : [{ a: columns[a], b: OUTCOME_COLUMN, r, n: counts[a][k - 1] }];
      }).sort(byAbsR)
    : null;
  const pairsAboveThreshold = featurePairs.filter((p) => Math.abs(p.r) > threshold);
  return {
    columns,
    matrix,
    counts,
    strongestFeaturePair: featurePairs[0] ?? null,
    threshold,
    pairsAboveThreshold,
    severeMulticollinearity: pairsAboveThreshold.length > 0,
    withOutcome,
  };
}

function byAbsR(x: CorrelationPair, y: CorrelationPair): number {
  return Math.abs(y.r) - Math.abs(x.r);
}
