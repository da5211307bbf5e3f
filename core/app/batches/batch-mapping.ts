import type { BatchSummary, ExportFile, ValidationIssueDto, ValidationReportDto } from '../../api/outputs';
import type { ValidationReport } from '../../ingest/validation-report';
import { describeUnits } from '../../schema/units';
import type { BatchRecord, StoredRowIssue as RowIssue } from '../../store/batch-repository';
import type { DriftRecord } from '../../store/drift-repository';

/** The UI shows at most this many issues; the export has them all. */
export const MAX_REPORT_ISSUES = 5_000;

export function toBatchSummary(record: BatchRecord, reviewedCount: number, drift: DriftRecord | null): BatchSummary {
  return {
    batchId: String(record.id),
    fileName: record.fileName,
    source: record.source === 'quick-score' ? 'quick-score' : 'file',
    importedAt: record.startedAt,
    importedBy: record.actor,
    status: summaryStatus(record.status),
    attention: attentionOf(record),
    units: record.units.length > 0 ? describeUnits(record.units) : null,
    totalRows: record.rowsRead,
    acceptedRows: record.rowsValid,
    rejectedRows: record.rowsRejected,
    counts: { ...record.counts },
    recommendedCount: record.recommended,
    reviewedCount,
    modelVersion: record.modelVersion ?? 'unknown',
    threshold: record.threshold ?? Number.NaN,
    drift: {
      verdict: record.datasetDrift === null ? 'not-checked' : record.datasetDrift ? 'drift' : 'no-drift',
      driftedFeatures: driftedFeatures(drift?.report),
      importantDrifted: importantDrifted(drift?.report),
      outputDrift: outputDrifted(drift?.report),
    },
    durationMs: record.durationMs,
  };
}

function importantDrifted(report: unknown): string[] {
  const listed = (report as { importance?: { driftedImportant?: unknown } } | null)?.importance?.driftedImportant;
  return Array.isArray(listed) ? listed.filter((f): f is string => typeof f === 'string') : [];
}

function outputDrifted(report: unknown): boolean {
  return (report as { output?: { drifted?: unknown } } | null)?.output?.drifted === true;
}

/** Said of a completed batch most of whose rows carry warnings: the file, not a few patients, needs checking. */
export const MOST_ROWS_WARNED = 'Completed with warnings on most rows: check the file';

function summaryStatus(status: BatchRecord['status']): BatchSummary['status'] {
  if (status === 'completed') return 'complete';
  if (status === 'rejected' || status === 'held') return status;
  return 'failed';
}

function attentionOf(record: BatchRecord): string | null {
  if (record.status === 'held') return record.errors[0] ?? null;
  if (record.status === 'completed' && record.warningsOnMostRows) return MOST_ROWS_WARNED;
  return null;
}

/** Drifted feature names from a stored DriftReport (core/drift), read defensively: the report is stored as JSON. */
function driftedFeatures(report: unknown): string[] {
  if (!report || typeof report !== 'object') return [];
  const listed = (report as { driftedFeatures?: unknown }).driftedFeatures;
  if (Array.isArray(listed)) return listed.filter((f): f is string => typeof f === 'string');
  const features = (report as { features?: unknown }).features;
  if (!Array.isArray(features)) return [];
  return features
    .filter((f): f is { feature: string; drifted: true } => f?.drifted === true && typeof f.feature === 'string')
    .map((f) => f.feature);
}

function issueDto(issue: RowIssue | ValidationReport['errors'][number]): ValidationIssueDto {
  return {
    severity: issue.severity,
    line: issue.line,
    patientId: issue.patientId,
    column: issue.column,
    value: issue.value,
    rule: issue.rule,
    message: issue.message,
  };
}

/** The ingest's report, as the UI shows it. */
export function reportDto(report: ValidationReport): ValidationReportDto {
  const issues = [...report.errors, ...report.warnings];
  const unlisted = report.unlistedErrors + report.unlistedWarnings;
  return {
    fileName: report.file,
    totalRows: report.rowsRead,
    acceptedRows: report.rowsValid,
    rejectedRows: report.rowsRejected,
    warningCount: report.warnings.length + report.unlistedWarnings,
    fileErrors: report.fileError ? [report.fileError.message] : [],
    issues: issues.slice(0, MAX_REPORT_ISSUES).map(issueDto),
    issuesTruncated: issues.length > MAX_REPORT_ISSUES || unlisted > 0,
  };
}

/** A stored batch's report, rebuilt from its record and stored issues (for reopening a past batch). */
export function storedReportDto(record: BatchRecord, issues: RowIssue[], totalIssues: number): ValidationReportDto {
  const warningCount = Object.values(record.warningsByRule).reduce((a, b) => a + b, 0);
  return {
    fileName: record.fileName,
    totalRows: record.rowsRead,
    acceptedRows: record.rowsValid,
    rejectedRows: record.rowsRejected,
    warningCount,
    fileErrors: record.errors,
    issues: issues.map(issueDto),
    issuesTruncated: totalIssues > issues.length,
  };
}

/** A file name's stem, safe to build an export's name from. */
export function stem(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'batch';
}

export function exportFile(fileName: string, content: string, rowCount: number): ExportFile {
  return { fileName, mimeType: 'text/csv', content, rowCount };
}
