import type { ChainVerification } from './audit-chain';
import { checkAgainstCheckpoint, parseCheckpoint } from './audit-checkpoint';
import { crossCheckAudit } from './audit-crosscheck';
import type { Store } from './store';

export interface AuditIntegrityOptions {
  /** The text of a checkpoint file: its head must still be in the chain, unchanged. */
  checkpointText?: string;
  /** Skip the table cross-checks (the chain and trail only). */
  chainOnly?: boolean;
}

export interface AuditIntegrity extends ChainVerification {
  /** What could not be checked, said so rather than passed over silently. */
  notes: string[];
}

/** Everything audit:verify proves: the keyed chain, its JSONL trail, a checkpoint, and the tables against the events. */
export function verifyAuditIntegrity(store: Store, options: AuditIntegrityOptions = {}): AuditIntegrity {
  const chain = store.audit.verify();
  const problems = [...chain.problems];
  const notes: string[] = [];
  const ring = store.audit.keyring();
  if (!ring) notes.push('no audit key configured: keyed links and checkpoints cannot be checked');
  const head = store.audit.head();
  if (head && head.keyId === null) {
    notes.push('the chain has no keyed links yet (the next event written with a key starts them)');
  }
  if (options.checkpointText !== undefined) {
    const checkpoint = parseCheckpoint(options.checkpointText, ring);
    if (typeof checkpoint === 'string') problems.push({ seq: 0, kind: 'checkpoint', message: checkpoint });
    else problems.push(...checkAgainstCheckpoint(store.audit, checkpoint));
  }
  if (!options.chainOnly) problems.push(...crossCheckAudit(store));
  return { ok: problems.length === 0, checked: chain.checked, problems, notes };
}
