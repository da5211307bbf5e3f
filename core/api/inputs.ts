/**
 * The zod schemas every call's single argument is parsed with, in main and in the app's dispatch, before any code runs.
 * Objects are strict: an unknown key is a malformed call, not something to ignore.
 */
import { z } from 'zod';
import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN } from '../schema/columns';
import { PatientRowSchema } from '../schema/patient-row';
import { RISK_CATEGORIES } from './outputs';

export const NoInput = z.strictObject({});

export const BatchId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'batch id must be 1-64 letters, digits, _ or -');
const PatientId = z.string().trim().min(1).max(64);
export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{3,32}$/, 'username must be 3-32 letters, digits, dot, _ or -');
/** Length only: long passphrases beat composition rules (NIST SP 800-63B). */
export const NewPassword = z.string().min(10, 'password must be at least 10 characters').max(256);
export const Password = z.string().min(1).max(256);
const RoleSchema = z.enum(['clinician', 'admin']);
const RiskCategorySchema = z.enum(RISK_CATEGORIES);
/** Client-chosen id that tags the progress events of one long call. */
export const OperationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const CreateAdminInput = z.strictObject({ username: Username, password: NewPassword });
export const CreateUserInput = z.strictObject({
  username: Username,
  password: NewPassword,
  role: RoleSchema,
});
/** The admin's account changes; each returns the account's new summary. */
export const SetUserDisabledInput = z.strictObject({ username: Username, disabled: z.boolean() });
export const SetUserRoleInput = z.strictObject({ username: Username, role: RoleSchema });
export const ResetPasswordInput = z.strictObject({ username: Username, password: NewPassword });
export const UserRef = z.strictObject({ username: Username });
export const SignInInput = z.strictObject({ username: Username, password: Password });
export const LockInput = z.strictObject({ reason: z.enum(['manual', 'inactivity']) });
export const UnlockInput = z.strictObject({ password: Password });

/** 100 MB of CSV is far past a clinic's day; the cap keeps a stray file from exhausting memory. */
const MAX_IMPORT_CHARS = 100 * 1024 * 1024;

/**
 * A CSV the renderer read: its name and its text. The renderer reads the file it was given; main never opens paths
 * named by the renderer.
 */
const UploadedCsv = {
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((name) => !/[\\/]/.test(name), 'file name must not contain a path'),
  content: z.string().max(MAX_IMPORT_CHARS, 'file is larger than 100 MB'),
};

export const ImportBatchInput = z.strictObject({ operationId: OperationId, ...UploadedCsv });

export const BatchRef = z.strictObject({ batchId: BatchId });
/** rowIndex picks the row when a patient_id occurs twice in a file (a duplicate_id warning); it must match the id. */
const RowIndex = z.number().int().min(0).optional();
export const PatientRef = z.strictObject({ batchId: BatchId, patientId: PatientId, rowIndex: RowIndex });

export const ListBatchesInput = z.strictObject({
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});

const WORKLIST_SORT_COLUMNS = [
  'risk',
  'score',
  'patientId',
  'category',
  'recommended',
  'glucose',
  'bmi',
  'age',
  'reviewed',
] as const;
export type WorklistSortColumn = (typeof WORKLIST_SORT_COLUMNS)[number];

export const WorklistQuery = z.strictObject({
  /** Default: `risk` descending = High first, then by score. */
  sort: z
    .array(z.strictObject({ column: z.enum(WORKLIST_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) }))
    .max(4)
    .default([{ column: 'risk', direction: 'desc' }]),
  categories: z.array(RiskCategorySchema).max(3).optional(),
  recommendedOnly: z.boolean().default(false),
  /** Only scores within the borderline band around the threshold (marked for manual review). */
  borderlineOnly: z.boolean().default(false),
  reviewed: z.enum(['all', 'reviewed', 'unreviewed']).default('all'),
  /** Case-insensitive substring of patient_id. */
  search: z.string().trim().max(64).default(''),
});
export type WorklistQueryInput = z.input<typeof WorklistQuery>;
export type WorklistQueryParsed = z.output<typeof WorklistQuery>;

export const WorklistPageInput = z.strictObject({
  batchId: BatchId,
  query: WorklistQuery.default({
    sort: [{ column: 'risk', direction: 'desc' }],
    recommendedOnly: false,
    borderlineOnly: false,
    reviewed: 'all',
    search: '',
  }),
  offset: z.number().int().min(0),
  /** A page, never the whole batch: 100 000 rows stay in main. */
  limit: z.number().int().min(1).max(1000),
});

export const MarkReviewedInput = z.strictObject({
  batchId: BatchId,
  patientId: PatientId,
  rowIndex: RowIndex,
  note: z.string().trim().max(2000).default(''),
});

export const ExportWorklistInput = z.strictObject({ batchId: BatchId, query: WorklistQuery.optional() });

/**
 * Quick score uses the batch rules exactly (core/schema/patient-row.ts is derived from the same rule table as the
 * streaming validator): every value is required, and a 0 in Glucose/BloodPressure/SkinThickness/BMI means
 * "not measured" and is imputed, as in a file.
 */
const featureShape = Object.fromEntries(FEATURE_COLUMNS.map((name) => [name, PatientRowSchema.shape[name]])) as {
  [K in FeatureName]: (typeof PatientRowSchema.shape)[K];
};
export const QuickScoreInput = z.strictObject({
  patientId: PatientRowSchema.shape[ID_COLUMN].optional(),
  features: z.strictObject(featureShape),
});

export const AuditQueryInput = z.strictObject({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).default(0),
});

// ---- Admin views ----

export const EdaInput = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('training') }),
  z.strictObject({ source: z.literal('file'), ...UploadedCsv }),
]);

export const DriftHistoryInput = z.strictObject({ limit: z.number().int().min(1).max(500).default(100) });

export const ImportLabelsInput = z.strictObject(UploadedCsv);

export const AcknowledgeAlertInput = z.strictObject({ alertId: z.number().int().min(1) });

/** A registry folder as listModels names it; only listed ids are accepted, never a free path. */
const ModelId = z
  .string()
  .regex(/^(production|production_backup|(experiments|archive)\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99})$/);

export const ModelRef = z.strictObject({ modelId: ModelId });

/** `confirmed: true` is required: the UI asks first, and a call without it is a malformed call. */
export const PromoteModelInput = z.strictObject({ modelId: ModelId, confirmed: z.literal(true) });
export const RollbackModelInput = z.strictObject({ confirmed: z.literal(true) });

export const SystemHealthInput = z.strictObject({ limit: z.number().int().min(1).max(1000).default(200) });
