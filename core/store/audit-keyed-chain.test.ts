import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AuditKeyring, makeKeyring, newAuditKey } from '../audit-key/keyring';
import { execRawSql } from '../testing/store-fixtures';
import { makeCheckpoint, parseCheckpoint } from './audit-checkpoint';
import { verifyAuditIntegrity } from './audit-integrity';
import { openStore } from './sqlite-store';
import type { Store } from './store';

let dir: string;
let dbPath: string;
const open: Store[] = [];
function openWith(ring: AuditKeyring | null): Store {
  const store = openStore(dbPath, { auditKeyring: ring });
  open.push(store);
  return store;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-keyed-'));
  dbPath = join(dir, 'glucoscreen.db');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const messages = (store: Store) => store.audit.verify().problems.map((p) => `${p.seq} ${p.kind}: ${p.message}`);

describe('keyed audit links', () => {
  test('a new chain is keyed from seq 1; without the key it cannot be verified, and says so', () => {
    const ring = makeKeyring([newAuditKey()]);
    const store = openWith(ring);
    store.audit.append({ actor: 'admin', action: 'a.one' });
    expect(store.audit.list()[0].keyId).toBe(ring.current.id);
    expect(store.audit.verify().ok).toBe(true);
    const stranger = openWith(makeKeyring([newAuditKey()]));
    expect(messages(stranger)).toEqual([
      expect.stringMatching(
        new RegExp(`^1 unknown-key: .*linked with audit key ${ring.current.id}, which this verifier does not hold`),
      ),
    ]);
  });

  test('an old unkeyed chain keeps verifying: the switch is an event, and later links are keyed', () => {
    const legacy = openWith(null);
    legacy.audit.append({ actor: 'admin', action: 'old.one' });
    legacy.audit.append({ actor: 'admin', action: 'old.two' });
    legacy.close();
    const ring = makeKeyring([newAuditKey()]);
    const store = openWith(ring);
    store.audit.append({ actor: 'admin', action: 'new.one' });
    expect(store.audit.list().map((e) => [e.seq, e.action, e.keyId])).toEqual([
      [1, 'old.one', null],
      [2, 'old.two', null],
      [3, 'audit.keyed-links-started', ring.current.id],
      [4, 'new.one', ring.current.id],
    ]);
    expect(store.audit.verify()).toEqual({ ok: true, checked: 4, problems: [] });
  });

  test('a rotation is an event linked with the old key; later links use the new key; both verify', () => {
    const first = newAuditKey();
    const store = openWith(makeKeyring([first]));
    store.audit.append({ actor: 'admin', action: 'a.one' });
    const rotated = makeKeyring([first, newAuditKey()]);
    (store.audit as unknown as { setKeyring(r: AuditKeyring): void }).setKeyring(rotated);
    expect(store.audit.ensureKey('admin').map((e) => [e.action, e.keyId, e.details])).toEqual([
      ['audit.key-rotated', first.id, { keyId: first.id, newKeyId: rotated.current.id }],
    ]);
    store.audit.append({ actor: 'admin', action: 'a.two' });
    expect(store.audit.list().at(-1)?.keyId).toBe(rotated.current.id);
    expect(store.audit.verify().ok).toBe(true);
    // A link after the rotation made with the old key again is named.
    execRawSql(dbPath, 'UPDATE audit_events SET key_id = ? WHERE seq = 3', [first.id]);
    expect(messages(store)).toContainEqual(
      expect.stringMatching(/^3 wrong-key: .*linked with key .* but the chain's key at that point is/),
    );
  });

  test('an unkeyed link after the switch is a downgrade, named by seq', () => {
    const store = openWith(makeKeyring([newAuditKey()]));
    store.audit.append({ actor: 'admin', action: 'a.one' });
    store.audit.append({ actor: 'admin', action: 'a.two' });
    execRawSql(dbPath, 'UPDATE audit_events SET key_id = NULL WHERE seq = 2');
    expect(messages(store)).toEqual([
      expect.stringMatching(
        /^2 downgraded: event seq 2 \(a\.two .*unkeyed link, though the chain has used keyed links since seq 1/,
      ),
    ]);
  });

  test('a checkpoint is signed: an edited checkpoint file is refused', () => {
    const store = openWith(makeKeyring([newAuditKey()]));
    store.audit.append({ actor: 'admin', action: 'a.one' });
    const { text, checkpoint } = makeCheckpoint(store.audit, 'admin', '2026-12-05T00:00:00.000Z');
    expect(checkpoint.seq).toBe(2);
    expect(parseCheckpoint(text, store.audit.keyring())).toEqual(checkpoint);
    const forged = text.replace('seq: 2', 'seq: 1');
    expect(verifyAuditIntegrity(store, { checkpointText: forged }).problems).toEqual([
      expect.objectContaining({ kind: 'checkpoint', message: expect.stringMatching(/signature does not match/) }),
    ]);
  });

  test('a review note edited after the review event is named by review id and patient_id', () => {
    const store = openWith(makeKeyring([newAuditKey()]));
    // Reviews need a stored prediction row: insert one directly (the batch pipeline is tested elsewhere).
    execRawSql(
      dbPath,
      `INSERT INTO batches (id, file_name, file_sha256, source, actor, status, started_at, prediction_date) VALUES (1, 'b.csv', 'x', 'cli', 'cli', 'completed', '2026-12-01', '2026-12-01')`,
    );
    execRawSql(
      dbPath,
      `INSERT INTO predictions (batch_id, row_index, line, patient_id, score, category, recommendation) VALUES (1, 0, 2, 'P1', 0.5, 1, 0)`,
    );
    const review = store.reviews.add({ batchId: 1, rowIndex: 0, reviewedBy: 'nurse', note: 'call back' });
    store.audit.append({
      actor: 'nurse',
      action: 'patient.reviewed',
      subject: 'P1',
      details: {
        batchId: 1,
        rowIndex: 0,
        withNote: true,
        reviewId: review.id,
        noteSha256: createHash('sha256').update('call back').digest('hex'),
      },
    });
    expect(verifyAuditIntegrity(store).ok).toBe(true);
    execRawSql(dbPath, `UPDATE reviews SET note = 'no action' WHERE id = ?`, [review.id]);
    expect(verifyAuditIntegrity(store).problems.map((p) => p.message)).toEqual([
      `the note of review ${review.id} of patient_id P1 was changed after event seq 1 recorded it`,
    ]);
  });
});
