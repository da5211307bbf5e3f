/**
 * The follow-up group's argument schemas and outputs: statuses, results, assignments, the lists and a patient's
 * history across batches.
 */
import { z } from 'zod';
import { Username } from './inputs';
import type { LabelImportReport } from './label-types';
import type { RiskCategory } from './outputs';

/** The follow-up statuses (core/followup/follow-up-status.ts holds the moves between them). */
export const FOLLOW_UP_STATUSES = [
  'to-review',
  'reviewed',
  'contacted',
  'test-ordered',
  'result-recorded',
  'declined',
  'unreachable',
] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = {
  'to-review': 'To review',
  reviewed: 'Reviewed',
  contacted: 'Contacted',
  'test-ordered': 'Test ordered',
  'result-recorded': 'Result recorded',
  declined: 'Declined',
  unreachable: 'Unreachable (lost to follow-up)',
};

/** The statuses a clinician records by hand: results have their own method, and `to-review` is where all start. */
export const MANUAL_STATUSES = ['reviewed', 'contacted', 'test-ordered', 'declined', 'unreachable'] as const;
export type ManualStatus = (typeof MANUAL_STATUSES)[number];

/** The confirmatory tests a result can be recorded for, and their units (core/followup/diagnosis-rule.ts). */
export const RESULT_TESTS = ['hba1c', 'fpg', 'ogtt'] as const;
export type ResultTest = (typeof RESULT_TESTS)[number];
export const RESULT_UNITS = { hba1c: ['%', 'mmol/mol'], fpg: ['mg/dL', 'mmol/L'], ogtt: ['mg/dL', 'mmol/L'] } as const;
export type ResultUnit = (typeof RESULT_UNITS)[ResultTest][number];

export const TEST_NAMES: Record<ResultTest, string> = {
  hba1c: 'HbA1c',
  fpg: 'Fasting plasma glucose',
  ogtt: 'OGTT 2-hour glucose',
};

const BatchId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'batch id must be 1-64 letters, digits, _ or -');
const PatientId = z.string().trim().min(1).max(64);
const Note = z.string().trim().max(2000).default('');
/** A selection is a page of the worklist at most. */
const PatientIds = z.array(PatientId).min(1).max(1000);
const IsoDate = z.iso.date('the test date must be a date (YYYY-MM-DD)');

/** The screening a step is recorded on: the patient's row in a batch. */
const OnScreening = { batchId: BatchId, patientId: PatientId, rowIndex: z.number().int().min(0).optional() };

export const SetFollowUpStatusInput = z.strictObject({
  ...OnScreening,
  status: z.enum(MANUAL_STATUSES),
  note: Note,
});

export const RecordResultInput = z
  .strictObject({
    ...OnScreening,
    test: z.enum(RESULT_TESTS),
    value: z.number().finite(),
    unit: z.enum(['%', 'mmol/mol', 'mg/dL', 'mmol/L']),
    testDate: IsoDate,
    note: Note,
    /** Replaces a recorded result (needs a note); the label path then reports any conflict with the stored label. */
    correction: z.boolean().default(false),
  })
  .refine((r) => (RESULT_UNITS[r.test] as readonly string[]).includes(r.unit), {
    message: 'the unit does not belong to the test (HbA1c: % or mmol/mol; glucose: mg/dL or mmol/L)',
    path: ['unit'],
  });

export const AssignFollowUpInput = z.strictObject({ patientIds: PatientIds, assignee: Username });

export const MarkContactedInput = z.strictObject({ batchId: BatchId, patientIds: PatientIds, note: Note });

export const FOLLOW_UP_VIEWS = ['mine', 'overdue-mine', 'overdue-all', 'all'] as const;
export type FollowUpView = (typeof FOLLOW_UP_VIEWS)[number];
export const FollowUpListInput = z.strictObject({
  view: z.enum(FOLLOW_UP_VIEWS),
  limit: z.number().int().min(1).max(1000).default(500),
});
export const ExportFollowUpsInput = z.strictObject({ view: z.enum(FOLLOW_UP_VIEWS) });
export const PatientHistoryInput = z.strictObject({ patientId: PatientId });

export interface ScreeningDto {
  batchId: string;
  rowIndex: number;
  fileName: string;
  predictionDate: string;
  score: number;
  category: RiskCategory;
  recommended: boolean;
  modelVersion: string;
}

export interface FollowUpEventDto {
  id: number;
  status: FollowUpStatus;
  note: string;
  correction: boolean;
  by: string;
  at: string;
  /** The screening it was recorded on (null when that batch is gone). */
  batchId: string | null;
}

export interface FollowUpResultDto {
  id: number;
  eventId: number;
  test: ResultTest;
  value: number;
  unit: ResultUnit;
  testDate: string;
  outcome: 0 | 1;
  rule: string;
}

export interface AssignmentDto {
  assignee: string;
  by: string;
  at: string;
}

/** Where a patient's follow-up stands. */
export interface FollowUpState {
  patientId: string;
  status: FollowUpStatus;
  assignment: AssignmentDto | null;
  /** The statuses a clinician may pick next by hand. */
  nextStatuses: ManualStatus[];
  /** A result can be recorded now (as a correction when one was recorded already). */
  canRecordResult: boolean;
}

export interface PatientHistory extends FollowUpState {
  /** Every screening of this patient_id, oldest first. */
  screenings: ScreeningDto[];
  events: FollowUpEventDto[];
  results: FollowUpResultDto[];
}

export interface RecordResultOutcome {
  state: FollowUpState;
  result: FollowUpResultDto;
  /** The diagnosis rule in words, and the value in the other unit. */
  converted: { value: number; unit: string };
  /** What storing the result as the patient's label did (inserted, unchanged, conflict, unmatched). */
  label: LabelImportReport;
}

export interface BulkOutcome {
  changed: string[];
  /** Patients left as they were, and why (an unknown id, a step their status does not allow). */
  refused: { patientId: string; rule: string }[];
}

export interface FollowUpEntryDto {
  patientId: string;
  status: FollowUpStatus;
  statusAt: string | null;
  assignee: string | null;
  firstRecommendedAt: string | null;
  /** Whole days since the first recommendation (the overdue clock); null when never recommended. */
  daysOpen: number | null;
  overdue: boolean;
  latest: ScreeningDto;
}

export interface FollowUpList {
  view: FollowUpView;
  overdueDays: number;
  total: number;
  entries: FollowUpEntryDto[];
}

export interface FollowUpCounts {
  /** Open follow-ups assigned to the caller. */
  mine: number;
  /** Of those, overdue. */
  overdue: number;
  overdueDays: number;
}
