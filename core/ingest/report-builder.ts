import { ID_COLUMN } from '../schema/columns';
import { capValue, type HardRule, RULE_DESCRIPTIONS, type RuleCode, type SoftRule } from '../schema/rules';
import type { RowIssue, ValidationReport } from './validation-report';

/** One broken hard rule in a row, before it is listed. */
export interface RowError {
  column: string;
  value: string;
  rule: HardRule;
  message: string;
}

/**
 * Records rejected rows and warnings into the report: every one is counted by rule, the first `maxListed` of
 * each kind are listed, with their values capped, so that a pathological file keeps the report bounded.
 */
export class ReportBuilder {
  private readonly warningTexts = new Map<string, string>();

  constructor(
    readonly report: ValidationReport,
    private readonly maxListed: number,
  ) {}

  rejectRow(line: number, patientId: string | null, errors: RowError[]): void {
    this.report.rowsRejected++;
    const counted = new Set<RuleCode>();
    for (const e of errors) {
      if (!counted.has(e.rule)) {
        counted.add(e.rule);
        this.report.rejectedByRule[e.rule] = (this.report.rejectedByRule[e.rule] ?? 0) + 1;
      }
      this.list(
        this.report.errors,
        { line, patientId, ...e, value: capValue(e.value), severity: 'error' },
        'unlistedErrors',
      );
    }
  }

  warn(line: number, patientId: string | null, column: string, value: string, rule: SoftRule, detail?: string): void {
    this.report.warningsByRule[rule] = (this.report.warningsByRule[rule] ?? 0) + 1;
    if (this.report.warnings.length >= this.maxListed) {
      this.report.unlistedWarnings++;
      return;
    }
    let message: string;
    if (detail) message = `${column === ID_COLUMN ? '' : `${column}: `}${RULE_DESCRIPTIONS[rule]} (${detail})`;
    else {
      // One string per column and rule, shared by every warning (a 1M-row file can list 100,000).
      const key = `${column}\u0000${rule}`;
      message = this.warningTexts.get(key) ?? `${column === ID_COLUMN ? '' : `${column}: `}${RULE_DESCRIPTIONS[rule]}`;
      this.warningTexts.set(key, message);
    }
    this.list(
      this.report.warnings,
      { line, patientId, column, value: capValue(value), rule, severity: 'warning', message },
      'unlistedWarnings',
    );
  }

  private list(target: RowIssue[], issue: RowIssue, overflow: 'unlistedErrors' | 'unlistedWarnings'): void {
    if (target.length < this.maxListed) target.push(issue);
    else this.report[overflow]++;
  }
}
