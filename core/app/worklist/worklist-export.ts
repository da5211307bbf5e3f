import type { AssumedValue, RiskFactor, WorklistRow } from '../../api/outputs';
import { ID_COLUMN } from '../../schema/columns';

/** The columns of the worklist export, in the order of exportRow's cells. */
export const WORKLIST_EXPORT_HEADER = [
  ID_COLUMN,
  'risk_category',
  'diabetes_risk_score',
  'screening_recommendation',
  'borderline_review',
  'incomplete',
  'top_factors',
  'glucose',
  'bmi',
  'age',
  'reviewed_by',
  'reviewed_at',
  'review_note',
] as const;

/** Rows explained per TreeSHAP pass when exporting a worklist. */
export const EXPORT_EXPLAIN_SLICE = 4096;

/** One line of the worklist export. */
export function exportRow(r: WorklistRow, factors: RiskFactor[] | null): (string | number | boolean | null)[] {
  return [
    r.patientId,
    r.category,
    Number(r.score.toFixed(4)),
    r.recommended ? 1 : 0,
    r.borderline ? 1 : 0,
    assumedText(r.assumed),
    factors ? factors.map((f) => f.text).join('; ') : null,
    r.glucose,
    r.bmi,
    r.age,
    r.review?.by ?? null,
    r.review?.at ?? null,
    r.review?.note ?? null,
  ];
}

/** "Glucose not measured, assumed 117 mg/dL": names what the score rests on; null for a complete patient. */
export function assumedText(assumed: readonly AssumedValue[]): string | null {
  if (assumed.length === 0) return null;
  return assumed
    .map(
      (a) =>
        `${a.feature} not measured, assumed ${a.value === null ? 'a typical value' : `${roundTo1(a.value)} ${a.unit}`}`,
    )
    .join('; ');
}

function roundTo1(value: number): number {
  return Math.round(value * 10) / 10;
}
