import { basename } from 'node:path';
import type { FileHold, RowIssue as IngestIssue, ValidationReport } from '../ingest/validation-report';
import type { BatchCommitSummary, BatchMeta, StoredRowIssue } from '../store/batch-repository';
import type { BatchMemoryProbe } from './batch-memory';
import { writeRejectedFile } from './rejected-file';
import type { ScreenFileOptions, ScreenOutcome } from './screen-file';

/** What screenFile records about a batch: its file and model, its row issues, and a rejected file's batch. */

export function toStoreIssues(issues: readonly IngestIssue[]): StoredRowIssue[] {
  return issues.map((e) => ({
    line: e.line,
    patientId: e.patientId,
    rule: e.rule,
    column: e.column,
    value: e.value,
    message: e.message,
    severity: e.severity,
  }));
}

export function fileProblems(report: ValidationReport): string[] {
  if (report.fileError) return [report.fileError.message];
  if (report.rowsValid === 0) return [`${report.file}: no valid rows (${report.rowsRejected} rejected)`];
  return [];
}

/** What a batch records of its file and model, scored or rejected. */
export function batchMeta(
  options: ScreenFileOptions,
  digest: { sha256: string; bytes: number },
  predictionDate: string,
  startedAt: string,
): BatchMeta {
  return {
    fileName: basename(options.inputPath),
    filePath: options.inputPath,
    fileSha256: digest.sha256,
    fileBytes: digest.bytes,
    source: options.source,
    actor: options.actor,
    modelVersion: options.model.version,
    modelDir: options.model.dir,
    threshold: options.model.threshold,
    riskCuts: options.model.riskCuts,
    predictionDate,
    startedAt,
    // Checked again inside the commit's transaction: another process may be scoring the same file.
    refuseIfScoredAs: options.force ? undefined : (options.duplicateStatuses ?? ['completed']),
  };
}

interface Timing {
  predictionDate: string;
  startedAt: string;
  tStart: number;
  cpuStart: NodeJS.CpuUsage;
  memory: BatchMemoryProbe;
}

export async function recordRejected(
  options: ScreenFileOptions,
  report: ValidationReport,
  problems: string[],
  digest: { sha256: string; bytes: number },
  retries: number,
  timing: Timing,
): Promise<ScreenOutcome> {
  const { rejectedCopy, errorsPath } = writeRejectedFile(options.rejectedDir, options.inputPath, report, problems);
  const batch = commitUnscored(options, report, digest, timing, {
    status: 'rejected',
    retryAttempts: retries,
    errors: problems,
    auditDetails: { rejectedCopy: basename(rejectedCopy), fileError: report.fileError?.code ?? 'no_valid_rows' },
  });
  return { kind: 'rejected', batch, report, rejectedCopy, errorsPath, problems };
}

/**
 * A batch held by the file-level plausibility check: recorded and audited with its one message and its row
 * issues, and nothing else; no prediction, no output file. The message names a column, never a value.
 */
export async function recordHeld(
  options: ScreenFileOptions,
  report: ValidationReport,
  hold: FileHold,
  digest: { sha256: string; bytes: number },
  retries: number,
  timing: Timing,
): Promise<ScreenOutcome> {
  const batch = commitUnscored(options, report, digest, timing, {
    status: 'held',
    retryAttempts: retries,
    errors: [hold.message],
    auditDetails: { hold: hold.code, column: hold.column },
  });
  return { kind: 'held', batch, report, hold };
}

/** Stores a batch that scored nothing: its figures, its row issues, its status and the audit event, in one commit. */
function commitUnscored(
  options: ScreenFileOptions,
  report: ValidationReport,
  digest: { sha256: string; bytes: number },
  timing: Timing,
  outcome: Pick<BatchCommitSummary, 'status' | 'retryAttempts' | 'errors' | 'auditDetails'>,
) {
  const writer = options.store.batches.begin(batchMeta(options, digest, timing.predictionDate, timing.startedAt));
  try {
    writer.addRejected([...toStoreIssues(report.errors), ...toStoreIssues(report.warnings)]);
    const cpu = process.cpuUsage(timing.cpuStart);
    return writer.commit({
      ...outcome,
      rowsRead: report.rowsRead,
      rowsRejected: report.rowsRejected,
      rowsWithWarnings: report.rowsWithWarnings,
      rejectedByRule: report.rejectedByRule as Record<string, number>,
      warningsByRule: report.warningsByRule as Record<string, number>,
      durationMs: performance.now() - timing.tStart,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      batchMemoryBytes: timing.memory.stop(),
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      outputPath: null,
      outputSha256: null,
      units: report.units,
    });
  } catch (error) {
    writer.rollback();
    throw error;
  }
}
