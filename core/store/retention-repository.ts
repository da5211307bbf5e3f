import type { PurgeCountsDto } from '../api/retention-methods';
import type { WeekCounts } from '../monitoring/weekly-performance';

/** Patient rows removed by a retention purge, by kind (the contract's shape: the Settings view shows them). */
export type PurgeCounts = PurgeCountsDto;

export interface PurgedBatch {
  id: number;
  predictionDate: string;
  modelVersion: string | null;
}

/** One ISO week and model version of realised performance, kept as counts once its patient rows are purged. */
export type RetainedWeekCounts = WeekCounts;

/** The label-free estimate of a purged week, as computed before its scores were removed. */
export interface RetainedWeekEstimate {
  week: string;
  modelVersion: string;
  estimate: unknown;
}

export interface RetainedAggregates {
  performance: RetainedWeekCounts[];
  estimates: RetainedWeekEstimate[];
}

export interface PurgeRequest {
  /** Batches screened before this instant (ISO) are purged. */
  cutoff: string;
  actor: string;
  /** Where rejected copies were written (their names are in the batches' audit events); null: none to remove. */
  rejectedDir: string | null;
  /** Computes the weekly aggregates of the batches about to be purged, from the rows still there (same lock). */
  aggregate(batches: readonly PurgedBatch[]): RetainedAggregates;
  /** More audit details of the purge event (the setting it applied); never patient data. */
  auditDetails?: Record<string, unknown>;
  /** Tests: runs inside the transaction just before COMMIT (a throw rolls everything back). */
  beforeCommit?: () => void;
  /** Tests: runs after COMMIT, before the files are removed (a throw leaves them pending, as a crash would). */
  afterCommit?: () => void;
}

export interface PurgeOutcome {
  counts: PurgeCounts;
  batchIds: number[];
  /** The seq of the retention.purged audit event; null for a dry run or when there was nothing to purge. */
  purgeSeq: number | null;
}

export interface RetentionStore {
  /** What a purge with this cut-off would remove, changing nothing. */
  dryRun(cutoff: string, rejectedDir: string | null): PurgeOutcome;
  /** Removes the patient rows in one transaction; files are listed as pending and removed by finishPending. */
  purge(request: PurgeRequest): PurgeOutcome;
  /**
   * Removes the files of committed purges still on disk and redacts tombstoned events in the JSONL trail: run after
   * each purge and at start-up, so a crash after the commit is finished later. Returns the files removed.
   */
  finishPending(): string[];
  retainedPerformance(): RetainedWeekCounts[];
  retainedEstimates(): RetainedWeekEstimate[];
}
