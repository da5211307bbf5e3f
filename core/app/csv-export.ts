/**
 * CSV writing for exports that leave the app (worklist, rejected rows). Every text cell is quoted, and every text
 * cell is neutralised against spreadsheet formulas (OWASP "CSV injection"): a single apostrophe is inserted before
 * = + - @ tab CR at the start of the cell, and also after each ';' and '|', because a spreadsheet set to a semicolon
 * locale splits the line there and would run what follows as a cell of its own. A cell's own leading apostrophe
 * (or one after ';' or '|') is escaped the same way, so `restoreCsvText` gives back the exact original.
 * Numbers are written as numbers.
 */
const NEUTRALISE = /(?<=^|[;|])(?=[=+\-@\t\r'])/g;
const RESTORE = /(?<=^|[;|])'(?=[=+\-@\t\r'])/g;

export function neutraliseCsvText(text: string): string {
  return text.replace(NEUTRALISE, "'");
}

/** The inverse of neutraliseCsvText, for a downstream system that needs the original value (e.g. a patient_id). */
export function restoreCsvText(text: string): string {
  return text.replace(RESTORE, '');
}

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `"${neutraliseCsvText(value).replaceAll('"', '""')}"`;
}

function csvLine(cells: readonly (string | number | boolean | null)[]): string {
  return cells.map(csvCell).join(',');
}

/** Rows as CSV lines, each ending in CRLF: a slice of a file written piece by piece. */
export function csvLines(rows: Iterable<readonly (string | number | boolean | null)[]>): string {
  let text = '';
  for (const row of rows) text += `${csvLine(row)}\r\n`;
  return text;
}

export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly (string | number | boolean | null)[]>,
): string {
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine(row));
  return `${lines.join('\r\n')}\r\n`;
}
