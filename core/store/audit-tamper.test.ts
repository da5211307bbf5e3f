import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadKeyFile } from '../audit-key/keyring';
import { main as checkpointMain } from '../cli/audit-checkpoint';
import { main as verifyMain } from '../cli/audit-verify';
import { importLabels } from '../labels/label-import';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { execRawSql } from '../testing/store-fixtures';
import { writeTestBundle } from '../testing/test-bundle';
import { buildTestModelParts } from '../testing/test-model';
import { hashEvent } from './audit-chain';
import { connect } from './database';
import { openStore } from './sqlite-store';

/**
 * The tamper matrix: a real database built through the real screen CLI, label import and checkpoint CLI, then
 * each kind of tampering applied to a copy; audit:verify must fail and name what changed and where.
 */
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let base: string;
let checkpointSeq: number;
let lastSeq: number;

function configFor(ws: string) {
  return {
    paths: {
      dbPath: join(ws, 'db/glucoscreen.db'),
      outputDir: join(ws, 'out'),
      rejectedDir: join(ws, 'rejected'),
      modelDir: join(dir, 'models/production'),
      // Away from the data folder, as on a server.
      auditKeyFile: join(dir, 'keys/audit.key'),
    },
    retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 },
  };
}

function workspaceCopy(name: string) {
  const ws = join(dir, name);
  cpSync(base, ws, { recursive: true });
  const config = join(ws, 'config.json');
  writeFileSync(config, JSON.stringify(configFor(ws)));
  return { ws, config, db: join(ws, 'db/glucoscreen.db'), trail: join(ws, 'db/glucoscreen.audit.jsonl') };
}

function verify(config: string, ...extra: string[]) {
  const lines: string[] = [];
  const code = verifyMain(['--config', config, ...extra], (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

function dropTrailLines(trail: string, keep: (line: { type: string; seq?: number }) => boolean) {
  const lines = readFileSync(trail, 'utf8').trimEnd().split('\n');
  writeFileSync(trail, `${lines.filter((l) => keep(JSON.parse(l))).join('\n')}\n`);
}

/** What someone without the key can do: recompute every link from `fromSeq` on as plain SHA-256, table and trail. */
function rehashWithoutKey(dbPath: string, trail: string, fromSeq: number, dropKeyIds: boolean) {
  const db = connect(dbPath);
  const events = (db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Record<string, unknown>[]).map(
    (r) => ({
      seq: r.seq as number,
      at: r.at as string,
      actor: r.actor as string,
      action: r.action as string,
      subject: r.subject as string | null,
      details: r.details as string,
      hash: r.hash as string,
      keyId: r.key_id as string | null,
    }),
  );
  db.close();
  const hashes = new Map<number, string>();
  let prev = fromSeq === 1 ? '0'.repeat(64) : (events.find((e) => e.seq === fromSeq - 1)?.hash as string);
  for (const e of events.filter((x) => x.seq >= fromSeq)) {
    const row = { ...e, prevHash: prev };
    const hash = hashEvent(row);
    execRawSql(dbPath, 'UPDATE audit_events SET prev_hash = ?, hash = ?, key_id = ? WHERE seq = ?', [
      prev,
      hash,
      dropKeyIds ? null : e.keyId,
      e.seq,
    ]);
    hashes.set(e.seq, hash);
    prev = hash;
  }
  const lines = readFileSync(trail, 'utf8').trimEnd().split('\n');
  const rewritten = lines.map((l) => {
    const line = JSON.parse(l);
    return line.type === 'event' && hashes.has(line.seq) ? JSON.stringify({ ...line, hash: hashes.get(line.seq) }) : l;
  });
  writeFileSync(trail, `${rewritten.join('\n')}\n`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-tamper-'));
  await writeTestBundle(join(dir, 'models/production'));
  base = join(dir, 'base');
  mkdirSync(join(base, 'db'), { recursive: true });
  const config = join(base, 'config.json');
  writeFileSync(config, JSON.stringify(configFor(base)));
  const dbPath = join(base, 'db/glucoscreen.db');

  // An old database: plain SHA-256 links, made before audit keys existed.
  const legacy = openStore(dbPath, { auditKeyring: null });
  legacy.audit.append({ actor: 'admin', action: 'user.created', subject: 'nurse', details: { role: 'clinician' } });
  legacy.users.create({
    username: 'nurse',
    role: 'clinician',
    password: { n: 2, r: 1, p: 1, keyLength: 16, salt: '00', hash: '00' },
    createdBy: 'admin',
  });
  legacy.close();

  const input = join(base, 'batch_2026-11-08.csv');
  writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 40, seed: 5 });
  const r = spawnSync('npx', ['tsx', 'core/cli/screen.ts', '--input', input, '--config', config], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);

  const ring = loadKeyFile(join(dir, 'keys/audit.key'), { create: false });
  const store = openStore(dbPath, { auditKeyring: ring });
  const labels = join(base, 'labels.csv');
  writeFileSync(labels, 'patient_id,outcome\nP0001,1\nP0002,0\nP0003,1\n');
  await importLabels(store, labels, 'admin');
  store.close();

  const cp: string[] = [];
  expect(checkpointMain(['--config', config, '--out', join(base, 'checkpoint.txt')], (l) => cp.push(l))).toBe(0);
  checkpointSeq = Number(/seq: (\d+)/.exec(cp.join('\n'))?.[1]);

  const after = openStore(dbPath, { auditKeyring: ring });
  after.audit.append({ actor: 'nurse', action: 'auth.signed-in', subject: 'nurse' });
  after.audit.append({ actor: 'nurse', action: 'auth.signed-out', subject: 'nurse' });
  lastSeq = after.audit.head()?.seq as number;
  after.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit tamper matrix', () => {
  test('the untouched database verifies, old unkeyed links included, with and without the checkpoint', () => {
    const w = workspaceCopy('intact');
    const store = openStore(w.db, { auditKeyring: null, auditTrailPath: null });
    const actions = store.audit.list().map((e) => [e.action, e.keyId === null]);
    store.close();
    expect(actions.slice(0, 3)).toEqual([
      ['user.created', true],
      ['audit.keyed-links-started', false],
      ['batch.scored', false],
    ]);
    expect(verify(w.config)).toEqual({ code: 0, out: expect.stringMatching(/audit chain intact/) });
    const withCheckpoint = verify(w.config, '--checkpoint', join(w.ws, 'checkpoint.txt'));
    expect(withCheckpoint).toEqual({ code: 0, out: expect.stringMatching(/checkpoint head present and unchanged/) });
  });

  test('an event emptied as if purged, with no purge event naming it, is named as a forged tombstone', () => {
    const w = workspaceCopy('forged-tombstone');
    const seq = lastSeq - 1;
    execRawSql(w.db, `UPDATE audit_events SET subject = NULL, details = '{}', purged_by_seq = ? WHERE seq = ?`, [
      lastSeq + 1,
      seq,
    ]);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`seq ${seq} \\[edited\\] .*is marked purged, but no verified purge event`));
  });

  test('editing one event is named by seq', () => {
    const w = workspaceCopy('edit');
    execRawSql(w.db, `UPDATE audit_events SET actor = 'someone' WHERE action = 'batch.scored'`);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/seq 3 \[edited\] event seq 3 \(batch\.scored by someone .*keyed hash/);
  });

  test('deleting the tail in the table only is named against the JSONL trail', () => {
    const w = workspaceCopy('tail-table');
    execRawSql(w.db, 'DELETE FROM audit_events WHERE seq >= ?', [lastSeq - 1]);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`event seq ${lastSeq} is in the JSONL audit trail but missing from the database`));
  });

  test('deleting the tail in the table and the trail is caught by the checkpoint', () => {
    const w = workspaceCopy('tail-both');
    execRawSql(w.db, 'DELETE FROM audit_events WHERE seq >= ?', [checkpointSeq]);
    dropTrailLines(w.trail, (l) => l.type !== 'event' || (l.seq as number) < checkpointSeq);
    expect(verify(w.config).code).toBe(0);
    const r = verify(w.config, '--checkpoint', join(w.ws, 'checkpoint.txt'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      new RegExp(`\\[checkpoint\\] event seq ${checkpointSeq} is missing: the chain ends at seq ${checkpointSeq - 1}`),
    );
  });

  test('editing an event and rehashing every later link without the key is caught', () => {
    const w = workspaceCopy('rehash');
    execRawSql(w.db, `UPDATE audit_events SET actor = 'someone' WHERE action = 'batch.scored'`);
    rehashWithoutKey(w.db, w.trail, 3, false);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/seq 3 \[edited\] .*rehashed without the key/);
  });

  test('a full rewrite as plain SHA-256 links is caught by the checkpoint and by the downgrade after the switch', () => {
    const w = workspaceCopy('rewrite');
    execRawSql(w.db, `UPDATE audit_events SET actor = 'someone' WHERE action = 'batch.scored'`);
    rehashWithoutKey(w.db, w.trail, 3, true);
    const r = verify(w.config, '--checkpoint', join(w.ws, 'checkpoint.txt'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/seq 3 \[downgraded\] event seq 3 .* has an unkeyed link/);
    expect(r.out).toMatch(new RegExp(`event seq ${checkpointSeq} is not the one in the checkpoint`));

    // Rewritten from genesis with no switch event at all: only the checkpoint can tell.
    const w2 = workspaceCopy('rewrite-all');
    execRawSql(w2.db, `DELETE FROM audit_events WHERE action = 'audit.keyed-links-started'`);
    execRawSql(w2.db, 'UPDATE audit_events SET seq = seq - 1 WHERE seq > 2');
    rehashWithoutKey(w2.db, w2.trail, 1, true);
    dropTrailLines(w2.trail, (l) => l.type !== 'event' || (l.seq as number) < lastSeq);
    const r2 = verify(w2.config, '--checkpoint', join(w2.ws, 'checkpoint.txt'));
    expect(r2.code).toBe(1);
    expect(r2.out).toMatch(/\[checkpoint\] event seq \d+ is not the one in the checkpoint .*rewritten/);
  });

  test('flipping a label outcome is named by label file and import event', () => {
    const w = workspaceCopy('labels');
    execRawSql(w.db, `UPDATE labels SET outcome = 1 - outcome WHERE patient_id = 'P0002'`);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[content\] labels of file labels\.csv \(event seq \d+\): stored label rows .* changed/);
  });

  test('changing a role is named by user and role event', () => {
    const w = workspaceCopy('role');
    execRawSql(w.db, `UPDATE users SET role = 'admin' WHERE username = 'nurse'`);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /seq 1 \[content\] user nurse has role admin, but the last role event \(seq 1, user\.created\) says clinician/,
    );
  });

  test('changing a prediction row is named by batch, row and patient_id', () => {
    const w = workspaceCopy('prediction');
    execRawSql(w.db, 'UPDATE predictions SET score = 0.999, category = 2 WHERE batch_id = 1 AND row_index = 3');
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /\[content\] batch 1 \(event seq 3\): stored prediction row 3 \(patient_id P0*4\) no longer matches/,
    );
  });

  test('an output file edited on disk is named', () => {
    const w = workspaceCopy('output');
    const out = join(w.ws, 'out/predictions_batch_2026-11-08.csv');
    writeFileSync(out, `${readFileSync(out, 'utf8')}P99,1,0.999,High,v0.0.1,2026-11-08T00:00:00.000Z\n`);
    // The copy's batches row still points at the base output file; point it at the copy.
    execRawSql(w.db, 'UPDATE batches SET output_path = ? WHERE id = 1', [out]);
    const r = verify(w.config);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/batch 1 \(event seq 3\): the output file .* differs from the sha256 recorded at scoring/);
  });
});
