import { capValue, type HardRule, type RuleCode, type SoftRule } from '../schema/rules';
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

  /** `message`: the full warning text, shared by every warning of its column and rule where it can be. */
  warn(line: number, patientId: string | null, column: string, value: string, rule: SoftRule, message: string): void {
    this.report.warningsByRule[rule] = (this.report.warningsByRule[rule] ?? 0) + 1;
    if (this.report.warnings.length >= this.maxListed) {
      this.report.unlistedWarnings++;
      return;
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
