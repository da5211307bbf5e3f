import type { RiskFactor, WorklistRow } from '../../api/outputs';
import { ID_COLUMN } from '../../schema/columns';

/** The columns of the worklist export, in the order of exportRow's cells. */
export const WORKLIST_EXPORT_HEADER = [
  ID_COLUMN,
  'risk_category',
  'diabetes_risk_score',
  'screening_recommendation',
  'borderline_review',
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
    factors ? factors.map((f) => f.text).join('; ') : null,
    r.glucose,
    r.bmi,
    r.age,
    r.review?.by ?? null,
    r.review?.at ?? null,
    r.review?.note ?? null,
  ];
}
