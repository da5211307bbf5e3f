import type { RiskCategory } from '../api/outputs';
import { isBorderline } from '../explain/borderline';
import type { PatientTable } from '../table/patient-table';

/** The output columns, in the fixed order downstream systems parse. */
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

const SCORE_TEXT: readonly string[] = Array.from({ length: 1001 }, (_, k) => (k / 1000).toFixed(3));

/**
 * The score as written: three decimals, exactly as score.toFixed(3) (e.g. 0.691), from a
 * table of the 1,001 possible texts; values within 1e-7 of a rounding tie take toFixed itself.
 */
export function formatScore(score: number): string {
  const k = scoreIndex(score);
  return k >= 0 ? SCORE_TEXT[k] : score.toFixed(3);
}

function scoreIndex(score: number): number {
  const scaled = score * 1000;
  const k = Math.round(scaled);
  return k >= 0 && k <= 1000 && Math.abs(Math.abs(scaled - Math.trunc(scaled)) - 0.5) > 1e-7 ? k : -1;
}

/** The bytes of ",<rec>,<score>," (",1,0.691,") for a recommendation and a table score: always this many. */
const REC_SCORE_WIDTH = 9;

/**
 * Those bytes for every recommendation (0, 1) and table score k / 1000, end to end: one copy per row instead of
 * three concatenations. Written digit by digit into one array, since a buffer per entry costs several milliseconds
 * at every start; output-csv.test.ts checks each entry against the formatted text.
 */
export const REC_SCORE_BYTES: Uint8Array = (() => {
  const bytes = new Uint8Array(2 * 1001 * REC_SCORE_WIDTH);
  const [comma, zero, point] = [44, 48, 46];
  for (let rec = 0; rec < 2; rec++) {
    for (let k = 0; k <= 1000; k++) {
      const at = (rec * 1001 + k) * REC_SCORE_WIDTH;
      const thousandths = k % 1000;
      bytes[at] = comma;
      bytes[at + 1] = zero + rec;
      bytes[at + 2] = comma;
      bytes[at + 3] = zero + (k === 1000 ? 1 : 0);
      bytes[at + 4] = point;
      bytes[at + 5] = zero + Math.floor(thousandths / 100);
      bytes[at + 6] = zero + (Math.floor(thousandths / 10) % 10);
      bytes[at + 7] = zero + (thousandths % 10);
      bytes[at + 8] = comma;
    }
  }
  return bytes;
})();

/**
 * Output lines (each ending in \n) for one scored chunk, as UTF-8 bytes written straight into one buffer: per row
 * `safeCell(id),<rec>,<score to 3 places>,<category>,<version>,<date>`. Building a string per row and encoding
 * it afterwards cost more on 1M rows (bench:screen, write CSV stage); output-csv.test.ts checks the bytes against
 * that plain string formatting. An id that is not plain ASCII, or that safeCell would change, takes safeCell itself.
 */
export function encodeOutputRows(
  ids: readonly string[],
  recommendations: ArrayLike<number>,
  scores: ArrayLike<number>,
  categories: readonly RiskCategory[],
  rowCount: number,
  modelVersion: string,
  predictionDate: string,
): Buffer {
  const tail = `,${safeCell(modelVersion)},${safeCell(predictionDate)}\n`;
  const low = utf8(`Low${tail}`);
  const medium = utf8(`Medium${tail}`);
  const high = utf8(`High${tail}`);
  let idUnits = 0;
  for (let i = 0; i < rowCount; i++) idUnits += ids[i].length;
  // Worst cases: 3 UTF-8 bytes per UTF-16 unit, every quote doubled, an apostrophe and two quotes added.
  const buffer = Buffer.allocUnsafe(idUnits * 6 + rowCount * (3 + 32 + medium.length));
  // Indexing a plain Uint8Array view is faster than indexing the Buffer subclass.
  const out = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  let at = 0;
  for (let i = 0; i < rowCount; i++) {
    const id = ids[i];
    const first = id.charCodeAt(0);
    let plain = !(first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13);
    if (plain) {
      for (let k = 0; k < id.length; k++) {
        const c = id.charCodeAt(k);
        if (c >= 128 || c === 34 || c === 44 || c === 10 || c === 13) {
          plain = false;
          break;
        }
        out[at + k] = c;
      }
    }
    at += plain ? id.length : buffer.write(safeCell(id), at, 'utf8');
    const rec = recommendations[i] ? 1 : 0;
    const k = scoreIndex(scores[i]);
    if (k >= 0) {
      const from = (rec * 1001 + k) * REC_SCORE_WIDTH;
      for (let b = 0; b < REC_SCORE_WIDTH; b++) out[at + b] = REC_SCORE_BYTES[from + b];
      at += REC_SCORE_WIDTH;
    } else {
      at += buffer.write(`,${rec},${scores[i].toFixed(3)},`, at, 'latin1');
    }
    const category = categories[i];
    const end = category === 'High' ? high : category === 'Medium' ? medium : low;
    out.set(end, at);
    at += end.length;
  }
  return buffer.subarray(0, at);
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/**
 * The manual-review list written beside the predictions (the predictions file keeps exactly its fixed
 * columns, which downstream systems parse): patients whose score lies within the borderline band around the
 * threshold, where the model's call is least certain, so a clinician's look adds the most.
 */
export const REVIEW_HEADER = 'patient_id,line,diabetes_risk_score,risk_category,threshold,reason';

export function formatReviewRows(
  table: PatientTable,
  scores: ArrayLike<number>,
  categories: readonly RiskCategory[],
  threshold: number,
  band: number,
): { text: string; count: number } {
  let text = '';
  let count = 0;
  const thresholdText = threshold.toFixed(3);
  // The same threshold and reason end every line: formatted once.
  const end = `,${thresholdText},score within ${band} of the threshold ${thresholdText}: review by hand\n`;
  for (let i = 0; i < table.rowCount; i++) {
    if (!isBorderline(scores[i], threshold, band)) continue;
    text += `${safeCell(table.ids[i])},${table.lineNumbers[i]},${formatScore(scores[i])},${categories[i]}${end}`;
    count++;
  }
  return { text, count };
}
