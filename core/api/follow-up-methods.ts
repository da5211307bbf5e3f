import {
  AssignFollowUpInput,
  type BulkOutcome,
  ExportFollowUpsInput,
  type FollowUpCounts,
  type FollowUpList,
  FollowUpListInput,
  type FollowUpState,
  MarkContactedInput,
  type PatientHistory,
  PatientHistoryInput,
  RecordResultInput,
  type RecordResultOutcome,
  SetFollowUpStatusInput,
} from './follow-up-types';
import { NoInput } from './inputs';
import { method } from './method-spec';
import type { ExportFile } from './outputs';

/**
 * The clinic's follow-up of screened patients. All clinician access: follow-up is the screening staff's work, and
 * any of them may hand a patient to a colleague (assignments are audited with before and after).
 */
export const followUpMethods = {
  /** Enabled accounts a patient can be assigned to (usernames only). */
  followUpAssignees: method(NoInput, 'clinician').returns<string[]>(),
  /** Records a status step with its note; refused (`conflict`) when the state machine does not allow it. Audited. */
  setFollowUpStatus: method(SetFollowUpStatusInput, 'clinician').returns<FollowUpState>(),
  /**
   * Records a test result, derives the diagnosis (ADA cut-offs) and stores it as the patient's label through the
   * labels import path, then refreshes monitoring and alerts. Audited.
   */
  recordFollowUpResult: method(RecordResultInput, 'clinician').returns<RecordResultOutcome>(),
  /** Assigns patients (one or a worklist selection) to a user. Audited, with each assignment before and after. */
  assignFollowUp: method(AssignFollowUpInput, 'clinician').returns<BulkOutcome>(),
  /** Marks a worklist selection contacted; patients whose status does not allow it are listed with the rule. */
  markContacted: method(MarkContactedInput, 'clinician').returns<BulkOutcome>(),
  followUpList: method(FollowUpListInput, 'clinician').returns<FollowUpList>(),
  /** The caller's open and overdue follow-ups, for the navigation. */
  followUpCounts: method(NoInput, 'clinician').returns<FollowUpCounts>(),
  exportFollowUps: method(ExportFollowUpsInput, 'clinician').returns<ExportFile>(),
  /** Every screening, follow-up step and result of a patient_id; audited as a read of patient data. */
  patientHistory: method(PatientHistoryInput, 'clinician').returns<PatientHistory>(),
} as const;
