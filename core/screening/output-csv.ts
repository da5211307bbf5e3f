import type { RiskCategory } from '../store/store-types';

/** The output columns, exactly as the reference design writes them. */
export const OUTPUT_HEADER =
  'patient_id,screening_recommendation,diabetes_risk_score,risk_category,model_version,prediction_date';

/**
 * A text cell made safe for spreadsheets and CSV: a leading = + - @ tab or CR would start a formula
 * (OWASP "CSV injection"), so it gets a leading apostrophe; quotes, commas and line breaks are quoted.
 */
export function safeCell(text: string): string {
  let out = text;
  if (out.length > 0) {
    const c = out.charCodeAt(0);
    // = + - @ \t \r
    if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) out = `'${out}`;
  }
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) return `"${out.replaceAll('"', '""')}"`;
  }
  return out;
}

/** The score as written: three decimals, as in the reference design's example (0.691). */
export function formatScore(score: number): string {
  return score.toFixed(3);
}

/** Output lines (each ending in \n) for one scored chunk. */
export function formatOutputRows(
  ids: readonly string[],
  recommendations: ArrayLike<number>,
  scores: ArrayLike<number>,
  categories: readonly RiskCategory[],
  rowCount: number,
  modelVersion: string,
  predictionDate: string,
): string {
  const tail = `,${safeCell(modelVersion)},${safeCell(predictionDate)}\n`;
  const parts: string[] = new Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    parts[i] =
      `${safeCell(ids[i])},${recommendations[i] ? '1' : '0'},${formatScore(scores[i])},${categories[i]}${tail}`;
  }
  return parts.join('');
}
