import type { AuditKeyring } from '../audit-key/keyring';
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
  /** The key of its HMAC link; null for the plain SHA-256 links made before keys. */
  keyId: string | null;
  /** A tombstone: the seq of the retention purge that removed its subject and details. */
  purgedBySeq?: number | null;
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
  /** The newest event, or null for an empty log. */
  head(): AuditEvent | null;
  /** The keyring links are made and checked with (null: plain SHA-256 links, as before keys). */
  keyring(): AuditKeyring | null;
  /** Records the switch to keyed links, or a rotation to the keyring's current key, when one is due. */
  ensureKey(actor: string): AuditEvent[];
  /** Count and digest of the stored label rows of one label file (by its sha256), as recorded on import. */
  labelDigest(sourceSha256: string): { count: number; sha256: string };
}
