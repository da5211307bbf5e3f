import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import { execRawSql } from '../testing/store-fixtures';
import { storePerTest } from '../testing/temp-store';
import { hashEvent } from './audit-chain';
import type { Store } from './store';

let store: Store;
let dbPath: string;
const temp = storePerTest(() => store);
beforeEach(() => {
  ({ store, dbPath } = temp());
});

describe('audit chain', () => {
  function fiveEvents() {
    for (let i = 1; i <= 5; i++) store.audit.append({ actor: 'admin', action: `act.${i}`, details: { i } });
  }

  test('an untouched chain verifies, and each event links to the one before', () => {
    fiveEvents();
    const events = store.audit.list();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
    expect(store.audit.verify()).toEqual({ ok: true, checked: 5, problems: [] });
  });

  test('the JSONL trail holds one line per event with the same hashes', () => {
    fiveEvents();
    const lines = readFileSync(store.audit.trailPath as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.seq, l.hash])).toEqual(store.audit.list().map((e) => [e.seq, e.hash]));
  });

  test('an edited row is found and named', () => {
    fiveEvents();
    execRawSql(dbPath, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
    const result = store.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.seq, p.kind])).toContainEqual([3, 'edited']);
  });

  test('a deleted row in the middle is found', () => {
    fiveEvents();
    execRawSql(dbPath, 'DELETE FROM audit_events WHERE seq = 2');
    const problems = store.audit.verify().problems.map((p) => [p.seq, p.kind]);
    expect(problems).toContainEqual([3, 'deleted']);
    expect(problems).toContainEqual([2, 'deleted']);
  });

  test('a deleted last row is found through the JSONL trail', () => {
    fiveEvents();
    execRawSql(dbPath, 'DELETE FROM audit_events WHERE seq = 5');
    expect(store.audit.verify().problems).toEqual([
      { seq: 5, kind: 'deleted', message: 'event seq 5 is in the JSONL audit trail but missing from the database' },
    ]);
  });

  test('an inserted row is found even when its own hash is forged correctly', () => {
    fiveEvents();
    // Renumber 4..5 up by one and forge seq 4 with a valid hash that links to seq 3.
    execRawSql(dbPath, 'UPDATE audit_events SET seq = seq + 10 WHERE seq >= 4');
    execRawSql(dbPath, 'UPDATE audit_events SET seq = seq - 9 WHERE seq >= 14');
    const three = store.audit.list().find((e) => e.seq === 3);
    if (!three) throw new Error('seq 3 missing');
    const forged = {
      seq: 4,
      at: three.at,
      actor: 'mallory',
      action: 'x',
      subject: null,
      details: '{}',
      prevHash: three.hash,
    };
    execRawSql(
      dbPath,
      'INSERT INTO audit_events (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        forged.seq,
        forged.at,
        forged.actor,
        forged.action,
        forged.subject,
        forged.details,
        forged.prevHash,
        hashEvent(forged),
      ],
    );
    const problems = store.audit.verify().problems.map((p) => [p.seq, p.kind]);
    expect(problems).toContainEqual([4, 'inserted']);
  });

  test('a deleted JSONL trail is reported', () => {
    fiveEvents();
    rmSync(store.audit.trailPath as string);
    expect(store.audit.verify().problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/audit trail .* is missing, though the database holds 5 events/),
    ]);
  });

  test('a torn trail line is reported', () => {
    fiveEvents();
    writeFileSync(store.audit.trailPath as string, `${readFileSync(store.audit.trailPath as string, 'utf8')}{"type":`);
    expect(store.audit.verify().problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/line 6 of the JSONL audit trail .* is not valid JSON/),
    );
  });
});
