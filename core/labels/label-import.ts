import type { LabelImportReport } from '../api/label-types';
import type { Store } from '../store/store';
import { type LabelRow, type LabelRowError, readLabelFile } from './label-file';

// The report's types are the contract's (core/api/label-types.ts): the monitoring view shows the report as it is.
export type { ConflictingLabel, LabelImportReport, UnmatchedLabel } from '../api/label-types';

/**
 * Imports delayed ground truth: each label is matched to that patient's most recent prediction on or before its
 * diagnosis date (the latest one when there is no date). Unmatched labels are stored too (a later batch cannot
 * match them retroactively, but they are never dropped) and reported; conflicts with stored labels are reported
 * and not stored. One transaction, then one audit event.
 */
export async function importLabels(store: Store, path: string, actor: string, displayName?: string) {
  const parsed = await readLabelFile(path, displayName);
  if (!parsed.ok) {
    store.audit.append({ actor, action: 'labels.rejected', subject: parsed.file, details: { reason: parsed.message } });
    return { ...emptyReport(parsed.file), message: parsed.message };
  }
  return storeLabelRows(store, parsed, actor);
}

function emptyReport(file: string): LabelImportReport {
  return {
    file,
    status: 'rejected',
    message: null,
    rowsRead: 0,
    matched: 0,
    inserted: 0,
    unchanged: 0,
    unmatched: [],
    conflicts: [],
    rejected: [],
  };
}

/** Labels from one source (a file, or a result recorded in the app), checked and read. */
export interface LabelSource {
  /** The file name, or what the labels came from. */
  file: string;
  /** Identifies the source's stored rows (labels.source_sha256): audit:verify checks them against the event. */
  sha256: string;
  rowsRead: number;
  rows: readonly LabelRow[];
  errors: LabelRowError[];
}

/**
 * Matches, de-duplicates and stores the labels of one source, then appends its `labels.imported` event. Every label
 * goes through here, imported or recorded as a follow-up result, so duplicates and conflicts behave the same.
 */
export function storeLabelRows(store: Store, parsed: LabelSource, actor: string): LabelImportReport {
  const report = emptyReport(parsed.file);
  report.rowsRead = parsed.rowsRead;
  report.rejected = parsed.errors;

  const keyOf = (patientId: string, date: string | null) => `${patientId}\u0000${date ?? ''}`;
  // Two rows of one file for the same patient and date but different outcomes: neither can be trusted.
  const byKey = new Map<string, LabelRow>();
  const contradicted = new Set<string>();
  for (const row of parsed.rows) {
    const key = keyOf(row.patientId, row.diagnosisDate);
    const earlier = byKey.get(key);
    if (earlier && earlier.outcome !== row.outcome) {
      contradicted.add(key);
      report.conflicts.push({
        line: row.line,
        patientId: row.patientId,
        diagnosisDate: row.diagnosisDate,
        storedOutcome: earlier.outcome,
        newOutcome: row.outcome,
      });
    } else if (!earlier) byKey.set(key, row);
  }

  const inputs = [];
  const lineOf = new Map<string, number>();
  for (const [key, row] of byKey) {
    if (contradicted.has(key)) continue;
    const prediction = store.batches.latestPredictionFor(row.patientId, row.diagnosisDate ?? undefined);
    if (!prediction) {
      report.unmatched.push({
        line: row.line,
        patientId: row.patientId,
        diagnosisDate: row.diagnosisDate,
        reason: row.diagnosisDate
          ? `no prediction for this patient on or before ${row.diagnosisDate}`
          : 'no prediction for this patient',
      });
    }
    lineOf.set(key, row.line);
    inputs.push({
      patientId: row.patientId,
      outcome: row.outcome,
      diagnosisDate: row.diagnosisDate,
      batchId: prediction ? prediction.batchId : null,
      rowIndex: prediction ? prediction.rowIndex : null,
    });
  }

  const added = store.labels.add(inputs, { sourceFile: parsed.file, sourceSha256: parsed.sha256, importedBy: actor });
  report.inserted = added.inserted;
  report.unchanged = added.unchanged;
  const conflicting = new Set<string>();
  for (const c of added.conflicts) {
    const key = keyOf(c.patientId, c.diagnosisDate);
    conflicting.add(key);
    report.conflicts.push({ ...c, line: lineOf.get(key) ?? null });
  }
  report.matched = inputs.filter(
    (i) => i.batchId !== null && !conflicting.has(keyOf(i.patientId, i.diagnosisDate)),
  ).length;
  report.status = 'imported';
  store.audit.append({
    actor,
    action: 'labels.imported',
    subject: parsed.file,
    details: {
      sha256: parsed.sha256,
      rowsRead: report.rowsRead,
      matched: report.matched,
      inserted: report.inserted,
      unchanged: report.unchanged,
      unmatched: report.unmatched.length,
      conflicts: report.conflicts.length,
      rejected: report.rejected.length,
      // What this file's labels look like in the table now, so audit:verify can tell if they change later.
      stored: store.audit.labelDigest(parsed.sha256),
    },
  });
  return report;
}
