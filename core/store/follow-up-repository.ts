import type { RiskCategory } from '../api/outputs';
import type { ResultTest, ResultUnit } from '../followup/diagnosis-rule';
import type { FollowUpStatus } from '../followup/follow-up-status';

/** The follow-up of patients (by patient_id, across batches): status events, test results, assignments. */
export type RecordedStatus = Exclude<FollowUpStatus, 'to-review'>;

export interface FollowUpEventRecord {
  id: number;
  patientId: string;
  batchId: number | null;
  rowIndex: number | null;
  status: RecordedStatus;
  note: string;
  correction: boolean;
  actor: string;
  at: string;
}

export interface FollowUpResultRecord {
  id: number;
  eventId: number;
  patientId: string;
  test: ResultTest;
  value: number;
  unit: ResultUnit;
  testDate: string;
  outcome: 0 | 1;
  rule: string;
  labelSourceSha256: string;
}

export interface AssignmentRecord {
  patientId: string;
  assignee: string;
  assignedBy: string;
  assignedAt: string;
}

/** One screening of a patient: a row of a completed batch. */
export interface ScreeningRecord {
  batchId: number;
  rowIndex: number;
  fileName: string;
  predictionDate: string;
  score: number;
  category: RiskCategory;
  recommendation: 0 | 1;
  modelVersion: string | null;
}

/** A patient on a follow-up list: where their follow-up stands and their latest screening. */
export interface FollowUpEntry {
  patientId: string;
  status: FollowUpStatus;
  statusAt: string | null;
  assignee: string | null;
  /** The earliest screening that recommended them for testing; null when none did. */
  firstRecommendedAt: string | null;
  latest: ScreeningRecord;
}

export interface FollowUpListQuery {
  /** Only patients assigned to this user (case-insensitive); undefined: anyone's or no one's. */
  assignee?: string;
  /** Only patients first recommended on or before this ISO time, with their follow-up still open. */
  recommendedBefore?: string;
  /** Include closed follow-ups (result recorded, declined, unreachable); default false. */
  includeClosed?: boolean;
  limit: number;
}

export interface FollowUpStore {
  addEvent(input: Omit<FollowUpEventRecord, 'id' | 'at'>): FollowUpEventRecord;
  addResult(input: Omit<FollowUpResultRecord, 'id'>): FollowUpResultRecord;
  /** The newest event's status, or `to-review` when none was recorded. */
  statusOf(patientId: string): FollowUpStatus;
  events(patientId: string): FollowUpEventRecord[];
  results(patientId: string): FollowUpResultRecord[];
  /** Replaces the patient's assignment; returns the one it replaced (null if none). */
  assign(input: Omit<AssignmentRecord, 'assignedAt'>): { before: AssignmentRecord | null; after: AssignmentRecord };
  assignmentOf(patientId: string): AssignmentRecord | null;
  /** Every screening of a patient in completed batches, oldest first. */
  screeningsOf(patientId: string): ScreeningRecord[];
  /** The patient's newest screening before the given batch's (by prediction date, then batch id), or null. */
  previousScreening(patientId: string, batchId: number): ScreeningRecord | null;
  /** Sorted by first recommendation (oldest first), then patient_id; `total` counts past the limit. */
  list(query: FollowUpListQuery): { total: number; entries: FollowUpEntry[] };
}
