import { describeUnits } from '../schema/units';
import type { BatchRecord } from '../store/batch-repository';
import type { CliLog } from './cli-log';

/** What the screen command prints about a batch. */

function mb(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

/** 1234567 -> 1,234,567; toLocaleString's first call loads ICU's locale data, a cost a short run notices. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function summaryLines(batch: BatchRecord, outputPath: string | null): string[] {
  const status =
    batch.status === 'completed' && batch.warningsOnMostRows
      ? 'completed with warnings on most rows: check the file'
      : batch.status;
  const lines = [
    `batch ${batch.id}: ${batch.fileName} (${status})`,
    `  rows read ${batch.rowsRead}, scored ${batch.rowsValid}, rejected ${batch.rowsRejected}, with warnings ${batch.rowsWithWarnings}`,
  ];
  if (batch.status === 'completed') {
    lines.push(
      `  risk: High ${batch.counts.High}, Medium ${batch.counts.Medium}, Low ${batch.counts.Low}; recommended for screening ${batch.recommended}`,
    );
  }
  if (batch.units.length > 0) lines.push(`  units: ${describeUnits(batch.units)}`);
  const rejected = Object.entries(batch.rejectedByRule);
  if (rejected.length > 0) lines.push(`  rejected rows by rule: ${rejected.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(
    `  model ${batch.modelVersion ?? '-'}, threshold ${batch.threshold === null ? '-' : batch.threshold.toFixed(3)}; ${((batch.durationMs ?? 0) / 1000).toFixed(2)} s, ${thousands(Math.round(batch.rowsPerSecond ?? 0))} rows/s, peak RSS ${mb(batch.peakRssBytes)}, retries ${batch.retryAttempts}`,
  );
  if (batch.datasetDrift !== null)
    lines.push(`  drift: ${batch.datasetDrift ? 'DATASET DRIFT detected' : 'no dataset drift'}`);
  if (outputPath) lines.push(`  output: ${outputPath}`);
  return lines;
}

/** Problems named by line, patient_id, column and rule only; the values stay in the store and the errors JSON. */
export function logIssues(
  log: CliLog,
  issues: readonly { line: number; patientId: string | null; column: string; rule: string }[],
) {
  for (const e of issues.slice(0, 20))
    log.warn(`  line ${e.line}${e.patientId ? ` (${e.patientId})` : ''}: ${e.column} [${e.rule}]`);
  if (issues.length > 20) log.warn(`  ... and ${issues.length - 20} more`);
}
