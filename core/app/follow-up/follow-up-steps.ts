import { createHash } from 'node:crypto';
import type {
  FollowUpEntryDto,
  FollowUpEventDto,
  FollowUpResultDto,
  FollowUpState,
  ScreeningDto,
} from '../../api/follow-up-types';
import {
  CLOSED_STATUSES,
  checkTransition,
  type FollowUpStatus,
  manualMovesFrom,
} from '../../followup/follow-up-status';
import type {
  FollowUpEntry,
  FollowUpEventRecord,
  FollowUpResultRecord,
  RecordedStatus,
  ScreeningRecord,
} from '../../store/follow-up-repository';
import type { Store } from '../../store/store';

const DAY_MS = 86_400_000;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface StepInput {
  actor: string;
  patientId: string;
  batchId: number;
  rowIndex: number;
  status: RecordedStatus;
  note: string;
  correction?: boolean;
}

/**
 * Records one follow-up step if the state machine allows it from the patient's current status: the event (note in
 * the table) and its audit line, in the caller's transaction.
 */
export function recordStep(
  store: Store,
  step: StepInput,
): { ok: true; event: FollowUpEventRecord; from: FollowUpStatus } | { ok: false; rule: string } {
  const planned = planStep(store, step);
  if (!planned.ok) return planned;
  const event = writeStep(store, step);
  auditStep(store, step, planned.from, event);
  return { ok: true, event, from: planned.from };
}

/** Whether the step is allowed now, and from which status. */
export function planStep(
  store: Store,
  step: StepInput,
): { ok: true; from: FollowUpStatus } | { ok: false; rule: string } {
  const from = store.followUps.statusOf(step.patientId);
  const check = checkTransition({ from, to: step.status, note: step.note, correction: step.correction });
  return check.ok ? { ok: true, from } : { ok: false, rule: `${step.patientId}: ${check.rule}` };
}

export function writeStep(store: Store, step: StepInput): FollowUpEventRecord {
  return store.followUps.addEvent({
    patientId: step.patientId,
    batchId: step.batchId,
    rowIndex: step.rowIndex,
    status: step.status,
    note: step.note,
    correction: step.correction ?? false,
    actor: step.actor,
  });
}

/**
 * The step's audit line: from, to, and a hash of the note (its text stays in the table). The JSONL trail line is
 * written at once, so callers audit after their last write that could fail: a rollback then leaves no trail line.
 */
export function auditStep(store: Store, step: StepInput, from: FollowUpStatus, event: FollowUpEventRecord): void {
  store.audit.append({
    actor: step.actor,
    action: 'follow-up.status',
    subject: step.patientId,
    details: {
      eventId: event.id,
      batchId: step.batchId,
      rowIndex: step.rowIndex,
      from,
      to: step.status,
      correction: event.correction,
      withNote: step.note.length > 0,
      noteSha256: sha256(step.note),
    },
  });
}

export function followUpState(store: Store, patientId: string): FollowUpState {
  const status = store.followUps.statusOf(patientId);
  const assignment = store.followUps.assignmentOf(patientId);
  return {
    patientId,
    status,
    assignment: assignment
      ? { assignee: assignment.assignee, by: assignment.assignedBy, at: assignment.assignedAt }
      : null,
    nextStatuses: manualMovesFrom(status),
    canRecordResult:
      status === 'result-recorded' || checkTransition({ from: status, to: 'result-recorded', note: '' }).ok,
  };
}

export function screeningDto(s: ScreeningRecord): ScreeningDto {
  return {
    batchId: String(s.batchId),
    rowIndex: s.rowIndex,
    fileName: s.fileName,
    predictionDate: s.predictionDate,
    score: s.score,
    category: s.category,
    recommended: s.recommendation === 1,
    modelVersion: s.modelVersion ?? 'unknown',
  };
}

export function eventDto(e: FollowUpEventRecord): FollowUpEventDto {
  return {
    id: e.id,
    status: e.status,
    note: e.note,
    correction: e.correction,
    by: e.actor,
    at: e.at,
    batchId: e.batchId === null ? null : String(e.batchId),
  };
}

export function resultDto(r: FollowUpResultRecord): FollowUpResultDto {
  return {
    id: r.id,
    eventId: r.eventId,
    test: r.test,
    value: r.value,
    unit: r.unit,
    testDate: r.testDate,
    outcome: r.outcome,
    rule: r.rule,
  };
}

/** A list entry with its overdue clock: whole days since the first recommendation, against `overdueDays`. */
export function entryDto(e: FollowUpEntry, now: Date, overdueDays: number): FollowUpEntryDto {
  const daysOpen =
    e.firstRecommendedAt === null ? null : Math.floor((now.getTime() - Date.parse(e.firstRecommendedAt)) / DAY_MS);
  const open = !CLOSED_STATUSES.includes(e.status);
  return {
    patientId: e.patientId,
    status: e.status,
    statusAt: e.statusAt,
    assignee: e.assignee,
    firstRecommendedAt: e.firstRecommendedAt,
    daysOpen,
    overdue: open && daysOpen !== null && daysOpen >= overdueDays,
    latest: screeningDto(e.latest),
  };
}

/** The ISO time before which a first recommendation makes an open follow-up overdue. */
export function overdueCutoff(now: Date, overdueDays: number): string {
  return new Date(now.getTime() - overdueDays * DAY_MS).toISOString();
}
