import { FEATURE_COLUMNS } from '../schema/columns';
import { PATIENT_ID_MAX_LENGTH, POWERS_OF_TEN } from '../schema/rules';
import type { PatientTable } from '../table/patient-table';
import { ROLE_ID, ROLE_OUTCOME } from './csv-header';
import { RowBuilder } from './row-builder';
import { type RowValidator, RULE_INTEGER, RULE_MAX } from './row-validator';

/** Bytes decoded to text at a time: below V8's large-object size, so each window is a cheap young string. */
const TEXT_WINDOW_BYTES = 1 << 16;

/** Byte codes the fast path looks for. */
const LF = 10;
const CR = 13;

/** What JavaScript's trim() removes, within ASCII (the fast path only sees ASCII). */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * The byte-level fast path over `buffer` (ASCII, no quotes, starting at a line start): the complete lines (all of
 * it when final). bailAt >= 0: the line starting there ends differently under papaparse (a bare LF in a CRLF
 * file), so it and everything after go to papaparse.
 */
export function parseFastRows(
  validator: RowValidator,
  buffer: Buffer,
  final: boolean,
): { rows: PatientTable; consumed: number; bailAt: number } {
  const { delimiter: delimiterText, newline, headerLength: width, idIndex, outcomeIndex, roles } = validator.layout;
  const { converts, unitMultiplier, unitDivisor } = validator.layout;
  const eol = newline === '\r' ? CR : LF;
  const end = final ? buffer.length : buffer.lastIndexOf(eol) + 1;
  // A plain Uint8Array view: indexing it is measurably faster than indexing the Buffer subclass.
  const data = new Uint8Array(buffer.buffer, buffer.byteOffset, end);
  // A kept row has every required cell non-empty: at least (required cells + delimiters + LF) bytes.
  const requiredCells = FEATURE_COLUMNS.length + (idIndex >= 0 ? 1 : 0) + (outcomeIndex >= 0 ? 1 : 0);
  const builder = new RowBuilder(Math.floor(end / (requiredCells + width)) + 1, validator.training);
  const maxLine = validator.maxLine;
  if (end === 0) return { rows: builder.finish(), consumed: 0, bailAt: -1 };
  // The text of the lines, decoded a window at a time: a string of the whole read (several hundred KiB) would be
  // a large object for V8, far slower to make than a few young ones. A window starts at a line start, and a row
  // that does not fit in it starts the next one (as long as the row when that is longer).
  let text = '';
  let textStart = 0;
  let textEnd = 0;
  const textOf = (from: number, to: number): string => {
    if (from < textStart || to > textEnd) {
      textStart = from;
      textEnd = Math.min(end, Math.max(to, from + TEXT_WINDOW_BYTES));
      text = buffer.toString('latin1', textStart, textEnd);
    }
    return text.slice(from - textStart, to - textStart);
  };
  const crlf = newline === '\r\n';
  const delimiter = delimiterText.charCodeAt(0);
  const { report, warnLow, warnHigh, zeroMissing } = validator;
  const decimalComma = report.decimalComma;
  const columns = builder.columns;
  const hasIds = idIndex >= 0;
  const outcome = builder.outcome;

  let i = 0;
  while (i < end) {
    const lineStart = i;
    let lf = i;
    while (lf < end && data[lf] !== eol) lf++;
    // rowEnd: where papaparse's row ends; contentEnd: after checkRow's strip of a trailing CR.
    let rowEnd = lf;
    if (crlf && lf < end) {
      if (lf === lineStart || data[lf - 1] !== CR)
        return { rows: builder.finish(), consumed: lineStart, bailAt: lineStart };
      rowEnd = lf - 1;
    }
    i = lf + 1;
    const contentEnd = rowEnd > lineStart && data[rowEnd - 1] === CR ? rowEnd - 1 : rowEnd;
    const line = validator.nextLine++;
    if (rowEnd - lineStart > maxLine) {
      validator.rejectLongLine(line);
      continue;
    }
    builder.checkRoom();
    const k = builder.kept;

    let field = 0;
    let cellStart = lineStart;
    let idStart = 0;
    let idEnd = 0;
    let clean = true;
    for (let p = lineStart; ; p++) {
      const atEnd = p === contentEnd;
      if (!atEnd && data[p] !== delimiter) continue;
      if (field >= width) {
        clean = false;
        break;
      }
      const role = roles[field];
      if (role >= 0) {
        let mantissa = 0;
        let digits = 0;
        let fractionDigits = 0;
        let point = false;
        for (let q = cellStart; q < p; q++) {
          const c = data[q];
          if (c >= 48 && c <= 57) {
            mantissa = mantissa * 10 + (c - 48);
            digits++;
            if (point) fractionDigits++;
          } else if ((c === 46 || (decimalComma && c === 44)) && !point) {
            point = true;
          } else {
            digits = -1;
            break;
          }
        }
        // The same arithmetic as parseDecimal, so the same double; then the same unit conversion as RowValidator.
        let value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
        if (converts) value = (value * unitMultiplier[role]) / unitDivisor[role];
        if (digits <= 0 || digits > 15 || fractionDigits > 22 || !(value <= RULE_MAX[role])) {
          clean = false;
          break;
        }
        if (RULE_INTEGER[role] && !Number.isInteger(value)) {
          clean = false;
          break;
        }
        columns[role][k] = value;
      } else if (role === ROLE_ID) {
        const length = p - cellStart;
        if (
          length === 0 ||
          length > PATIENT_ID_MAX_LENGTH ||
          isAsciiSpace(data[cellStart]) ||
          isAsciiSpace(data[p - 1])
        ) {
          clean = false;
          break;
        }
        idStart = cellStart;
        idEnd = p;
      } else if (role === ROLE_OUTCOME) {
        const c = data[cellStart];
        if (p - cellStart !== 1 || (c !== 48 && c !== 49) || outcome === null) {
          clean = false;
          break;
        }
        outcome[k] = c - 48;
      }
      field++;
      cellStart = p + 1;
      if (atEnd) break;
    }

    if (clean && field === width) {
      // A valid row: the soft rules, exactly as for papaparse's rows.
      const id = hasIds ? textOf(idStart, idEnd) : `row-${line}`;
      let warned = false;
      for (let f = 0; f < columns.length; f++) {
        const value = columns[f][k];
        if ((value < warnLow[f] || value > warnHigh[f]) && !(value === 0 && zeroMissing[f])) warned = true;
      }
      if (warned) validator.softWarnings(line, hasIds ? id : null, columns, k);
      if (hasIds) warned = validator.duplicateWarning(line, id) || warned;
      report.rowsRead++;
      if (warned) report.rowsWithWarnings++;
      builder.ids.push(id);
      builder.lineNumbers[k] = line;
      builder.kept++;
      report.rowsValid++;
      continue;
    }

    // Not clean: the cells exactly as papaparse splits unquoted text, through the full checks.
    validator.checkRow(textOf(lineStart, rowEnd).split(delimiterText), line, false, builder);
  }
  return { rows: builder.finish(), consumed: end, bailAt: -1 };
}
