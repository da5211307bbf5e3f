import { z } from 'zod';
import { NoInput } from './inputs';
import { method } from './method-spec';

/** What a retention purge removes (or, previewed, would remove), by kind. */
export interface PurgeCountsDto {
  batches: number;
  /** Scored rows, each with its stored inputs (explanations are recomputed from them, so they go too). */
  predictions: number;
  /** Rejected rows and warnings. */
  rowIssues: number;
  reviews: number;
  labels: number;
  followUpSteps: number;
  followUpResults: number;
  followUpAssignments: number;
  /** Rows scored by a shadow model. */
  shadowRows: number;
  /** Patients none of whose screenings stay: their follow-up goes with them. */
  patients: number;
  /** Audit events whose patient content is replaced by a tombstone (seq, action, time, actor and hash stay). */
  auditEvents: number;
  /** Output, review and rejected-copy files removed from disk. */
  files: number;
}

export interface RetentionPurgeDto {
  dryRun: boolean;
  /** The retention setting applied (months); null when retention is off. */
  retentionMonths: number | null;
  /** The first day kept (a Monday, YYYY-MM-DD): batches screened before it are purged. */
  cutoff: string;
  counts: PurgeCountsDto;
  /** The seq of the retention.purged audit event; null for a preview. */
  purgeSeq: number | null;
}

/** The word an admin types to confirm a purge, so it cannot happen by a stray click. */
export const PURGE_CONFIRMATION = 'PURGE';

export const PurgePatientRowsInput = z.strictObject({
  /** The cut-off the preview showed: refused if the setting or the date moved it since. */
  cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)'),
  confirm: z.literal(PURGE_CONFIRMATION, { message: `type ${PURGE_CONFIRMATION} to confirm` }),
});

/** Retention: removing patient rows older than the configured period, keeping the weekly figures and the audit chain. */
export const retentionMethods = {
  /** A dry run: what a purge now would remove, by kind; changes nothing. Refused while retention is off. */
  retentionPreview: method(NoInput, 'admin').returns<RetentionPurgeDto>(),
  /** Purges in one transaction and audits it (who, cut-off, counts); refused while retention is off. */
  purgePatientRows: method(PurgePatientRowsInput, 'admin').returns<RetentionPurgeDto>(),
} as const;
