import { isoWeekMonday, isoWeekOf } from '../monitoring/iso-week';
import type { ModelExpectations } from '../monitoring/monitoring-refresh';
import { weeklyEstimates } from '../monitoring/monitoring-refresh';
import { weekCounts } from '../monitoring/weekly-performance';
import type { PurgeCounts, PurgedBatch, RetainedAggregates } from '../store/retention-repository';
import type { Store } from '../store/store';

export interface RetentionPurgeRequest {
  /** The retention setting (retention.patientRowsMonths); null means purging is off. */
  months: number | null;
  now: Date;
  /** An earlier cut-off than the setting's (YYYY-MM-DD); a later one is refused. */
  before?: string | null;
  actor: string;
  dryRun: boolean;
  /** CBPE references by model version: the label-free estimates of purged weeks are kept with them. */
  expectations: ModelExpectations;
  /** The folder rejected copies are written to (their names are in the audit events); null: none removed. */
  rejectedDir: string | null;
  /** Tests: a fault just before the purge commits, or just after it (before its files are removed). */
  beforeCommit?: () => void;
  afterCommit?: () => void;
}

export interface RetentionPurgeResult {
  dryRun: boolean;
  /** The first day kept (a Monday): batches screened before it are purged. */
  cutoff: string;
  counts: PurgeCounts;
  batchIds: number[];
  /** The seq of the retention.purged audit event (null for a dry run or nothing to purge). */
  purgeSeq: number | null;
  filesRemoved: number;
}

export class RetentionRefused extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The cut-off of a purge: `months` calendar months before now, moved back to the Monday of its ISO week, so every
 * monitoring week is either purged whole or kept whole and its weekly figures can be kept as they were judged.
 */
export function retentionCutoff(months: number | null, now: Date, before?: string | null): string {
  if (months === null) {
    throw new RetentionRefused('retention is off (retention.patientRowsMonths is not set): nothing may be purged');
  }
  const day = now.getUTCDate();
  const shifted = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(day, lastDay));
  const allowed = isoWeekMonday(isoWeekOf(shifted.toISOString()));
  if (before === undefined || before === null) return allowed;
  if (!DATE.test(before) || Number.isNaN(Date.parse(`${before}T00:00:00Z`))) {
    throw new RetentionRefused(`--before ${before} is not a date (YYYY-MM-DD)`);
  }
  const requested = isoWeekMonday(isoWeekOf(before));
  if (requested > allowed) {
    throw new RetentionRefused(
      `--before ${before} is later than the retention setting allows (${months} months: patient rows screened before ${allowed})`,
    );
  }
  return requested;
}

/** Purges (or, as a dry run, counts) the patient rows of batches screened before the retention cut-off. */
export function purgePatientRows(store: Store, request: RetentionPurgeRequest): RetentionPurgeResult {
  const cutoff = retentionCutoff(request.months, request.now, request.before);
  if (request.dryRun) {
    const outcome = store.retention.dryRun(cutoff, request.rejectedDir);
    return { dryRun: true, cutoff, ...outcome, filesRemoved: 0 };
  }
  // Files left by an earlier purge that stopped after its commit go first.
  let filesRemoved = store.retention.finishPending().length;
  const outcome = store.retention.purge({
    cutoff,
    actor: request.actor,
    rejectedDir: request.rejectedDir,
    auditDetails: { retentionMonths: request.months, before: request.before ?? null },
    aggregate: (batches) => aggregatesOf(store, batches, request.expectations),
    beforeCommit: request.beforeCommit,
    afterCommit: request.afterCommit,
  });
  filesRemoved += outcome.counts.files;
  return { dryRun: false, cutoff, ...outcome, filesRemoved };
}

/** The weekly figures of the weeks about to be purged, from the labels and scores still stored. */
function aggregatesOf(
  store: Store,
  batches: readonly PurgedBatch[],
  expectations: ModelExpectations,
): RetainedAggregates {
  const weeks = new Set(batches.map((b) => isoWeekOf(b.predictionDate)));
  const groups = new Map<
    string,
    { week: string; modelVersion: string; rows: Parameters<typeof weekCounts>[2][number][] }
  >();
  for (const row of store.labels.listMatched()) {
    const week = isoWeekOf(row.predictionDate);
    if (!weeks.has(week)) continue;
    const modelVersion = row.modelVersion ?? 'unknown';
    const key = `${week}\u0000${modelVersion}`;
    const group = groups.get(key) ?? { week, modelVersion, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const performance = [...groups.values()].map((g) => weekCounts(g.week, g.modelVersion, g.rows));
  const estimates = weeklyEstimates(store, expectations.cbpeReferences).filter((e) => weeks.has(e.week));
  return { performance, estimates };
}
