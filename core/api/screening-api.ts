/**
 * The typed contract between the UI and core: one table of methods, each with its argument schema, the access it
 * needs and (as a type) what it returns. Main's IPC handlers, the preload bridge, the local HTTP host and the renderer's
 * client are all derived from this table, so a method without a handler is a compile error.
 *
 * The admin views (EDA, drift, monitoring, models, system health, audit) have `admin` access, so main refuses them
 * to clinicians; their outputs are in admin-outputs.ts.
 */
import type { z } from 'zod';
import type {
  BatchHealthDto,
  DriftHistoryPoint,
  DriftResult,
  EdaResult,
  LabelImportResult,
  ModelImportance,
  ModelList,
  MonitoringSummary,
  TrainingRunDto,
} from './admin-outputs';
import { apiClientMethods } from './api-client-methods';
import { backupMethods } from './backup-methods';
import { followUpMethods } from './follow-up-methods';
import {
  AcknowledgeAlertInput,
  AuditQueryInput,
  BatchRef,
  CreateAdminInput,
  CreateUserInput,
  DriftHistoryInput,
  EdaInput,
  ExportWorklistInput,
  ImportBatchInput,
  ImportLabelsInput,
  ListBatchesInput,
  LockInput,
  MarkReviewedInput,
  ModelRef,
  NoInput,
  PatientRef,
  PromoteModelInput,
  QuickScoreInput,
  ResetPasswordInput,
  RollbackModelInput,
  SetUserDisabledInput,
  SetUserRoleInput,
  SignInInput,
  SystemHealthInput,
  UnlockInput,
  UserRef,
  WorklistPageInput,
} from './inputs';
import { type MethodSpec, method } from './method-spec';
import { modelRegistryMethods } from './model-registry-methods';
import type { AlertRecord } from './monitoring-types';
import type {
  AuditCheckpointDto,
  AuditPage,
  BatchSummary,
  ExportFile,
  FirstRunStatus,
  HighRiskList,
  ImportProgress,
  ImportResult,
  PatientDetail,
  QuickScoreResult,
  ReviewState,
  SessionInfo,
  UserSummary,
  ValidationReportDto,
  WorklistPage,
} from './outputs';
import { reportMethods } from './report-methods';
import type { Result } from './result';
import { retentionMethods } from './retention-methods';
import { type RetrainProgress, retrainMethods } from './retrain-methods';
import { settingsMethods } from './settings-methods';
import { shadowMethods } from './shadow-methods';
import { type ExportProgress, worklistExportMethods } from './worklist-export-methods';

const sessionMethods = {
  firstRunStatus: method(NoInput, 'public').returns<FirstRunStatus>(),
  /** Only while no user exists; afterwards `conflict`. */
  createAdmin: method(CreateAdminInput, 'public').returns<SessionInfo>(),
  signIn: method(SignInInput, 'public').returns<SessionInfo>(),
  currentSession: method(NoInput, 'public').returns<SessionInfo | null>(),
  signOut: method(NoInput, 'session').returns<null>(),
  lock: method(LockInput, 'session').returns<SessionInfo>(),
  unlock: method(UnlockInput, 'session').returns<SessionInfo>(),
  /** The UI calls it (throttled) while the user is active, so main's own inactivity lock agrees with the UI's. */
  keepAlive: method(NoInput, 'clinician').returns<null>(),
} as const;

const batchMethods = {
  /** Parse, validate, score and store a daily CSV as one transaction; progress comes as `importProgress` events. */
  importBatch: method(ImportBatchInput, 'clinician').returns<ImportResult>(),
  listBatches: method(ListBatchesInput, 'clinician').returns<BatchSummary[]>(),
  /** Reopen a past batch. */
  getBatch: method(BatchRef, 'clinician').returns<BatchSummary>(),
  getValidationReport: method(BatchRef, 'clinician').returns<ValidationReportDto>(),
  exportRejectedRows: method(BatchRef, 'clinician').returns<ExportFile>(),
} as const;

const worklistMethods = {
  /** Sorting, filtering and search happen in main, so 100 000 rows never cross the bridge. */
  worklistPage: method(WorklistPageInput, 'clinician').returns<WorklistPage>(),
  patientDetail: method(PatientRef, 'clinician').returns<PatientDetail>(),
  markReviewed: method(MarkReviewedInput, 'clinician').returns<ReviewState>(),
  exportWorklist: method(ExportWorklistInput, 'clinician').returns<ExportFile>(),
  highRiskList: method(BatchRef, 'clinician').returns<HighRiskList>(),
} as const;

const quickScoreMethods = {
  quickScore: method(QuickScoreInput, 'clinician').returns<QuickScoreResult>(),
} as const;

const userMethods = {
  createUser: method(CreateUserInput, 'admin').returns<UserSummary>(),
  listUsers: method(NoInput, 'admin').returns<UserSummary[]>(),
  /** Disables or re-enables an account; the last enabled admin cannot be disabled (`conflict`). Audited. */
  setUserDisabled: method(SetUserDisabledInput, 'admin').returns<UserSummary>(),
  /** The last enabled admin cannot be demoted (`conflict`). Audited. */
  setUserRole: method(SetUserRoleInput, 'admin').returns<UserSummary>(),
  /** Sets a new password and lifts a lockout. Audited, without the password. */
  resetPassword: method(ResetPasswordInput, 'admin').returns<UserSummary>(),
  /** Lifts a lockout after repeated failed sign-ins. Audited. */
  unlockUser: method(UserRef, 'admin').returns<UserSummary>(),
  auditLog: method(AuditQueryInput, 'admin').returns<AuditPage>(),
} as const;

const auditMethods = {
  /** Records a checkpoint event and returns the signed chain head; needs the audit key (desktop: OS keychain). */
  auditCheckpoint: method(NoInput, 'admin').returns<AuditCheckpointDto>(),
} as const;

const edaMethods = {
  /** The nine EDA sections, of the training data or of a CSV the admin loads. */
  edaReport: method(EdaInput, 'admin').returns<EdaResult>(),
} as const;

const driftMethods = {
  /** The stored drift report of one batch (`not-found` when the batch was not checked). */
  driftReport: method(BatchRef, 'admin').returns<DriftResult>(),
  /** Dataset verdict per checked batch, oldest first. */
  driftHistory: method(DriftHistoryInput, 'admin').returns<DriftHistoryPoint[]>(),
} as const;

const monitoringMethods = {
  /** Delayed ground truth; audited by core/labels, then monitoring is refreshed. */
  importLabels: method(ImportLabelsInput, 'admin').returns<LabelImportResult>(),
  /** Recomputes weekly performance and estimates; raises alerts idempotently (each new one audited). */
  monitoringSummary: method(NoInput, 'admin').returns<MonitoringSummary>(),
  acknowledgeAlert: method(AcknowledgeAlertInput, 'admin').returns<AlertRecord>(),
  /** The alerts nobody has acknowledged yet, as stored (no refresh). */
  listOpenAlerts: method(NoInput, 'admin').returns<AlertRecord[]>(),
} as const;

const modelMethods = {
  listModels: method(NoInput, 'admin').returns<ModelList>(),
  /** Mean |SHAP| per feature of a listed version over the training data (the bundle is verified first). */
  modelImportance: method(ModelRef, 'admin').returns<ModelImportance>(),
  /** Makes a listed bundle production (the old one becomes the backup); audited. */
  promoteModel: method(PromoteModelInput, 'admin').returns<ModelList>(),
  /** Swaps production and its backup; audited. */
  rollbackModel: method(RollbackModelInput, 'admin').returns<ModelList>(),
  listTrainingRuns: method(NoInput, 'admin').returns<TrainingRunDto[]>(),
} as const;

const healthMethods = {
  /** Per batch: duration, rows/s, rejected rows by rule, retries, peak memory; newest first. */
  systemHealth: method(SystemHealthInput, 'admin').returns<BatchHealthDto[]>(),
} as const;

/**
 * The contract by area: each group is implemented by one handler module of core/app, which exports exactly the
 * handlers of its group.
 */
const methodGroups = {
  session: sessionMethods,
  batches: batchMethods,
  worklist: worklistMethods,
  worklistExport: worklistExportMethods,
  quickScore: quickScoreMethods,
  users: userMethods,
  audit: auditMethods,
  eda: edaMethods,
  drift: driftMethods,
  monitoring: monitoringMethods,
  models: modelMethods,
  modelRegistry: modelRegistryMethods,
  health: healthMethods,
  reports: reportMethods,
  shadow: shadowMethods,
  followUp: followUpMethods,
  retrain: retrainMethods,
  settings: settingsMethods,
  backups: backupMethods,
  retention: retentionMethods,
  apiClients: apiClientMethods,
} as const;
export type MethodGroup = keyof typeof methodGroups;
export type MethodOf<G extends MethodGroup> = Extract<keyof (typeof methodGroups)[G], MethodName>;

const adminViewMethods = {
  ...edaMethods,
  ...driftMethods,
  ...monitoringMethods,
  ...modelMethods,
  ...modelRegistryMethods,
  ...healthMethods,
  ...reportMethods,
  ...shadowMethods,
  ...retrainMethods,
  ...settingsMethods,
  ...backupMethods,
  ...retentionMethods,
  ...apiClientMethods,
};
type AdminViewMethod = keyof typeof adminViewMethods;
/** The methods of the admin views (EDA, drift, monitoring, models, health): every one is `admin` access. */
export const ADMIN_VIEW_METHODS = Object.keys(adminViewMethods) as AdminViewMethod[];

export const screeningContract = {
  ...sessionMethods,
  ...batchMethods,
  ...worklistMethods,
  ...worklistExportMethods,
  ...quickScoreMethods,
  ...userMethods,
  ...auditMethods,
  ...adminViewMethods,
  ...followUpMethods,
} as const;
type ScreeningContract = typeof screeningContract;
export type MethodName = keyof ScreeningContract;

/** What a caller passes (defaults may be omitted). */
export type InputOf<K extends MethodName> = z.input<ScreeningContract[K]['input']>;
/** What an implementation receives, after parsing (defaults filled in). */
export type ParsedInputOf<K extends MethodName> = z.output<ScreeningContract[K]['input']>;
export type OutputOf<K extends MethodName> = ScreeningContract[K] extends MethodSpec<z.ZodType, infer O> ? O : never;

/** The API as the renderer sees it: one function per method, one plain argument, a Result back. */
export type ScreeningApi = { [K in MethodName]: (arg: InputOf<K>) => Promise<Result<OutputOf<K>>> };

export const METHOD_NAMES = Object.keys(screeningContract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(screeningContract, name);
}

/** IPC channel of a method. */
export function channelOf<K extends MethodName>(name: K): `glucoscreen:${K}` {
  return `glucoscreen:${name}`;
}

/** Events pushed from core to the UI (progress of long work). */
export interface ScreeningEvents {
  importProgress: ImportProgress;
  exportProgress: ExportProgress;
  retrainProgress: RetrainProgress;
}
export type EventName = keyof ScreeningEvents;
export const EVENT_NAMES: readonly EventName[] = ['importProgress', 'exportProgress', 'retrainProgress'];
export const EVENT_CHANNEL = 'glucoscreen:event';
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: ScreeningEvents[E];
}
