import type { FeatureName } from '../schema/columns';
import type { RuleCode } from '../schema/rules';
import type { DeclaredUnit } from '../schema/units';

/** Why a whole file was refused; nothing but the rejection report is written for such a file. */
export type FileErrorCode =
  | 'unreadable'
  | 'empty'
  | 'header_only'
  | 'missing_columns'
  | 'duplicate_headers'
  | 'binary'
  | 'not_utf8'
  | 'header_too_long'
  | 'unknown_unit';

interface FileError {
  code: FileErrorCode;
  message: string;
}

/** Why a parsed batch is held instead of scored: its values as a whole look like another unit or scale. */
export interface FileHold {
  column: FeatureName;
  /** e.g. 'looks_like_mmol_per_l', 'mostly_implausible' (file-plausibility.ts). */
  code: string;
  /** One sentence naming the column and what to do; never a patient's value. */
  message: string;
}

/** One broken rule in one cell (or, for field_count/malformed_csv/duplicate_id, in one row). */
export interface RowIssue {
  /** 1-based physical line in the file; the header is line 1. */
  line: number;
  patientId: string | null;
  column: string;
  value: string;
  rule: RuleCode;
  severity: 'error' | 'warning';
  message: string;
}

export interface HeaderMapping {
  /** The header as written in the file. */
  source: string;
  /** The contract column it was matched to. */
  column: string;
}

/** Typed and JSON-serialisable: shown by the UI and the CLI, stored with rejected batches. */
export interface ValidationReport {
  file: string;
  mode: 'batch' | 'training';
  status: 'accepted' | 'rejected';
  fileError: FileError | null;
  delimiter: ',' | ';' | '\t' | null;
  hadByteOrderMark: boolean;
  decimalComma: boolean;
  headerMapping: HeaderMapping[];
  /** Units the header or the configuration declared, with their conversion to the model's units. */
  units: DeclaredUnit[];
  /** Set once the whole file is read: its values look like another unit or scale, so it must not be scored. */
  hold: FileHold | null;
  /** The first 50 ignored column names (each capped at 64 characters); ignoredColumnCount counts them all. */
  ignoredColumns: string[];
  ignoredColumnCount: number;
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rowsWithWarnings: number;
  rejectedByRule: Partial<Record<RuleCode, number>>;
  warningsByRule: Partial<Record<RuleCode, number>>;
  errors: RowIssue[];
  warnings: RowIssue[];
  /** Issues beyond the listing cap are counted above but not listed; the cap keeps a pathological file bounded. */
  unlistedErrors: number;
  unlistedWarnings: number;
}

export const DEFAULT_MAX_LISTED_ISSUES = 100_000;

export function emptyReport(file: string, mode: 'batch' | 'training'): ValidationReport {
  return {
    file,
    mode,
    status: 'accepted',
    fileError: null,
    delimiter: null,
    hadByteOrderMark: false,
    decimalComma: false,
    headerMapping: [],
    units: [],
    hold: null,
    ignoredColumns: [],
    ignoredColumnCount: 0,
    rowsRead: 0,
    rowsValid: 0,
    rowsRejected: 0,
    rowsWithWarnings: 0,
    rejectedByRule: {},
    warningsByRule: {},
    errors: [],
    warnings: [],
    unlistedErrors: 0,
    unlistedWarnings: 0,
  };
}

export function rejectFile(report: ValidationReport, code: FileErrorCode, message: string): ValidationReport {
  report.status = 'rejected';
  report.fileError = { code, message: `${report.file}: ${message}` };
  return report;
}

/** One line per problem, for the CLI and the rejected/ errors file. */
export function describeReport(report: ValidationReport): string[] {
  if (report.fileError) return [`rejected: ${report.fileError.message}`];
  const lines = report.errors.map(
    (e) =>
      `${report.file}: line ${e.line}${e.patientId ? ` (patient ${e.patientId})` : ''}, column ${e.column}, value ${JSON.stringify(e.value)}: ${e.message} [${e.rule}]`,
  );
  if (report.unlistedErrors > 0) lines.push(`... and ${report.unlistedErrors} more errors`);
  return lines;
}
