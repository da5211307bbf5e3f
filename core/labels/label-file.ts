import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import type { LabelRowError } from '../api/label-types';
import { detectDelimiter } from '../ingest/csv-dialect';
import { normaliseHeader } from '../ingest/header-mapping';
import { checkPatientId, RULE_DESCRIPTIONS } from '../schema/rules';

export type { LabelRowError };

/** One delayed ground-truth label as read from a labels CSV. */
export interface LabelRow {
  line: number;
  patientId: string;
  outcome: 0 | 1;
  /** YYYY-MM-DD, or null when the file gives none. */
  diagnosisDate: string | null;
}

type LabelFile =
  | { ok: true; file: string; sha256: string; rows: LabelRow[]; errors: LabelRowError[]; rowsRead: number }
  | { ok: false; file: string; message: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads a labels CSV: patient_id, outcome (0/1; "Outcome" also accepted) and an optional diagnosis_date.
 * Label files are small (one row per diagnosed patient), so they are read whole; the header rules are the
 * batch file's (case, spaces and underscores ignored; delimiter detected).
 */
export async function readLabelFile(path: string, displayName = basename(path)): Promise<LabelFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, file: displayName, message: `${displayName}: cannot be read (${(error as Error).message})` };
  }
  if (bytes.includes(0))
    return { ok: false, file: displayName, message: `${displayName}: is a binary file, not a CSV` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, file: displayName, message: `${displayName}: is not valid UTF-8 text` };
  }
  if (text.trim() === '') return { ok: false, file: displayName, message: `${displayName}: is empty` };
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length).replace(/\r$/, '');
  const parsed = Papa.parse<string[]>(text, { delimiter: detectDelimiter(firstLine), newline });
  const [header = [], ...body] = parsed.data;
  const index = new Map(header.map((h, i) => [normaliseHeader(h), i]));
  const idIndex = index.get('patientid');
  const outcomeIndex = index.get('outcome');
  const dateIndex = index.get('diagnosisdate');
  const missing = [idIndex === undefined ? 'patient_id' : null, outcomeIndex === undefined ? 'outcome' : null].filter(
    (c) => c !== null,
  );
  if (idIndex === undefined || outcomeIndex === undefined) {
    return {
      ok: false,
      file: displayName,
      message: `${displayName}: is missing the required column(s) ${missing.join(', ')}`,
    };
  }
  const rows: LabelRow[] = [];
  const errors: LabelRowError[] = [];
  let rowsRead = 0;
  body.forEach((fields, i) => {
    const line = i + 2;
    if (fields.length === 1 && fields[0].trim() === '') return;
    rowsRead++;
    const id = checkPatientId(fields[idIndex]);
    const patientId = id.ok ? id.id : null;
    let ok = true;
    const fail = (column: string, value: string, message: string) => {
      errors.push({ line, patientId, column, value, message });
      ok = false;
    };
    if (!id.ok) fail('patient_id', fields[idIndex] ?? '', RULE_DESCRIPTIONS[id.rule]);
    const rawOutcome = (fields[outcomeIndex] ?? '').trim();
    if (rawOutcome !== '0' && rawOutcome !== '1') fail('outcome', rawOutcome, 'outcome must be 0 or 1');
    let diagnosisDate: string | null = null;
    if (dateIndex !== undefined) {
      const rawDate = (fields[dateIndex] ?? '').trim();
      if (rawDate !== '') {
        const m = ISO_DATE.exec(rawDate);
        if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
          fail('diagnosis_date', rawDate, 'diagnosis_date must be a date written YYYY-MM-DD');
        } else diagnosisDate = `${m[1]}-${m[2]}-${m[3]}`;
      }
    }
    if (ok && patientId !== null) {
      rows.push({ line, patientId, outcome: rawOutcome === '1' ? 1 : 0, diagnosisDate });
    }
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ok: true, file: displayName, sha256, rows, errors, rowsRead };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
