import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditKeyring } from '../audit-key/keyring';
import type { ChainProblem } from './audit-chain';
import type { AuditLog } from './audit-log';

/**
 * A checkpoint: the chain head (seq, time, keyed hash, key id) as a few lines of text, signed with the audit key,
 * for an admin to file or print away from the machine. The chain alone cannot show that its last events were
 * removed, or that it was rebuilt from the start; a checkpoint can, since its head must still be in the chain.
 */
export interface AuditCheckpoint {
  seq: number;
  at: string;
  hash: string;
  keyId: string;
  madeAt: string;
  madeBy: string;
}

const TITLE = 'Glucoscreen audit checkpoint';
const FIELDS = ['seq', 'at', 'hash', 'key', 'made-at', 'made-by'] as const;

function body(c: AuditCheckpoint): string {
  const values = [String(c.seq), c.at, c.hash, c.keyId, c.madeAt, c.madeBy];
  return `${TITLE}\n${FIELDS.map((f, i) => `${f}: ${values[i]}`).join('\n')}\n`;
}

function sign(text: string, secret: Buffer): string {
  return createHmac('sha256', secret).update('glucoscreen-audit-checkpoint\n').update(text).digest('hex');
}

export function formatCheckpoint(c: AuditCheckpoint, ring: AuditKeyring): string {
  const key = ring.byId(c.keyId);
  if (!key) throw new Error(`audit key ${c.keyId} is not available`);
  const text = body(c);
  return `${text}signature: hmac-sha256 ${sign(text, key.secret)}\n`;
}

/**
 * Records a checkpoint event (so the head is keyed, and the log shows who made it), then returns the head as a
 * signed checkpoint. The keyed-links switch or a pending rotation is recorded first when due.
 */
export function makeCheckpoint(
  audit: AuditLog,
  actor: string,
  madeAt: string,
): { checkpoint: AuditCheckpoint; text: string } {
  const ring = audit.keyring();
  if (!ring) throw new Error('checkpoints need the audit key, and none is configured');
  const head = audit.append({ actor, action: 'audit.checkpoint', details: {} });
  if (head.keyId === null) throw new Error('the audit chain head is not keyed');
  const checkpoint: AuditCheckpoint = {
    seq: head.seq,
    at: head.at,
    hash: head.hash,
    keyId: head.keyId,
    madeAt,
    madeBy: actor,
  };
  return { checkpoint, text: formatCheckpoint(checkpoint, ring) };
}

export function parseCheckpoint(text: string, ring: AuditKeyring | null): AuditCheckpoint | string {
  const lines = text.replace(/\r\n/g, '\n').trim().split('\n');
  if (lines[0] !== TITLE) return 'not a Glucoscreen audit checkpoint';
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const at = line.indexOf(': ');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 2));
  }
  const c: AuditCheckpoint = {
    seq: Number(fields.get('seq')),
    at: fields.get('at') ?? '',
    hash: fields.get('hash') ?? '',
    keyId: fields.get('key') ?? '',
    madeAt: fields.get('made-at') ?? '',
    madeBy: fields.get('made-by') ?? '',
  };
  if (!Number.isInteger(c.seq) || c.seq < 1 || !/^[0-9a-f]{64}$/.test(c.hash)) return 'the checkpoint is incomplete';
  const key = ring?.byId(c.keyId);
  if (!key) return `the checkpoint is signed with audit key ${c.keyId}, which this verifier does not hold`;
  const signature = (fields.get('signature') ?? '').replace(/^hmac-sha256 /, '');
  const expected = sign(body(c), key.secret);
  if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    return 'the checkpoint signature does not match its content (the checkpoint file was edited)';
  }
  return c;
}

/** Is the checkpoint's head still in the chain, unchanged? (The chain walk proves everything before it.) */
export function checkAgainstCheckpoint(audit: AuditLog, c: AuditCheckpoint): ChainProblem[] {
  const made = `the checkpoint made at ${c.madeAt} (head seq ${c.seq})`;
  const [row] = audit.list({ afterSeq: c.seq - 1, limit: 1 });
  if (!row || row.seq !== c.seq) {
    const head = audit.head();
    return [
      {
        seq: c.seq,
        kind: 'checkpoint',
        message: `event seq ${c.seq} is missing: the chain ends at seq ${head?.seq ?? 0}, before ${made}; events were removed`,
      },
    ];
  }
  if (row.hash !== c.hash || row.keyId !== c.keyId || row.at !== c.at) {
    return [
      {
        seq: c.seq,
        kind: 'checkpoint',
        message: `event seq ${c.seq} is not the one in ${made}: the chain up to it was rewritten`,
      },
    ];
  }
  return [];
}
