import type { ChainVerification } from './audit-chain';

/** The tamper-evident audit log: a hash chain in the database, mirrored line by line in a JSONL trail file. */
export interface AuditInput {
  actor: string;
  action: string;
  /** What the action was about: a batch id, a model version, a username, a patient_id. Never other patient data. */
  subject?: string;
  details?: object;
}
export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
export interface AuditListOptions {
  afterSeq?: number;
  limit?: number;
  action?: string;
  /** Newest first when true. */
  descending?: boolean;
}
export interface AuditLog {
  readonly trailPath: string | null;
  append(input: AuditInput): AuditEvent;
  list(options?: AuditListOptions): AuditEvent[];
  count(): number;
  /** Walks the hash chain and, when the JSONL trail exists, compares it event by event. */
  verify(): ChainVerification;
}
