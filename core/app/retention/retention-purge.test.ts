import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RetentionPurgeDto } from '../../api/retention-methods';
import { readModelExpectations } from '../../monitoring/monitoring-refresh';
import { purgePatientRows, retentionCutoff } from '../../retention/retention-purge';
import { FEATURE_COLUMNS } from '../../schema/columns';
import { verifyAuditIntegrity } from '../../store/audit-integrity';
import { connect } from '../../store/database';
import { openStore } from '../../store/sqlite-store';
import type { Store } from '../../store/store';
import { loadPimaColumns } from '../../testing/pima';
import { execRawSql } from '../../testing/store-fixtures';
import type { ClientSession } from '../client-session';
import { contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

const DAY = 86_400_000;
const pima = loadPimaColumns();
let app: TestApp;
let dir: string;
const call = contractCaller(() => app);
let admin: ClientSession;
let nurse: ClientSession;
let oldBatch = '';
let newBatch = '';
let oldOutput = '';

/** Real Pima rows first..last-1 as a batch file, patient_id P-<row>; `extra` rows are appended as written. */
function pimaBatch(first: number, last: number, extra: string[] = []): string {
  const lines = [`patient_id,${FEATURE_COLUMNS.join(',')}`];
  for (let r = first; r < last; r++) lines.push([`P-${r}`, ...FEATURE_COLUMNS.map((c) => pima.raw[c][r])].join(','));
  return [...lines, ...extra].join('\n');
}

/** The true Pima outcome of rows first..last-1 as a labels file. */
function pimaLabels(first: number, last: number): string {
  const lines = ['patient_id,outcome'];
  for (let r = first; r < last; r++) lines.push(`P-${r},${pima.outcome[r]}`);
  return lines.join('\n');
}

async function daysLater(days: number) {
  app.advanceClock(days * DAY);
  value(await call(nurse, 'unlock', { password: 'nurse password 1' }));
  value(await call(admin, 'unlock', { password: 'admin password 1' }));
}

/** Row counts of every table that holds patient rows, read through a connection of its own. */
function patientRowCounts(store: Store) {
  const tables = [
    'predictions',
    'prediction_inputs',
    'rejected_rows',
    'reviews',
    'labels',
    'follow_up_events',
    'follow_up_results',
    'follow_up_assignments',
    'audit_events',
    'retained_weekly_performance',
    'pending_file_deletions',
  ];
  const db = connect(store.path);
  try {
    return Object.fromEntries(
      tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

async function monitoringFigures() {
  const summary = value(await call(admin, 'monitoringSummary', {}));
  const drift = value(await call(admin, 'driftHistory', {}));
  return { weeks: summary.weeks, estimates: summary.estimates, drift };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-retention-'));
  app = await createTestApp(join(dir, 'data'));
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'admin password 1' }));
  value(await call(admin, 'createUser', { username: 'nurse', password: 'nurse password 1', role: 'clinician' }));
  nurse = app.newSession();
  value(await call(nurse, 'signIn', { username: 'nurse', password: 'nurse password 1' }));

  // Week 1: 300 Pima patients and one row that breaks a hard rule (kept as a rejected row).
  const bad = `BAD-1,1,abc,70,20,80,30.1,0.5,40`;
  const old = value(
    await call(nurse, 'importBatch', { operationId: 'old', fileName: 'old.csv', content: pimaBatch(0, 300, [bad]) }),
  );
  oldBatch = old.batch.batchId;
  oldOutput = app.store.batches.get(Number(oldBatch))?.outputPath ?? '';
  value(await call(admin, 'importLabels', { fileName: 'old-labels.csv', content: pimaLabels(0, 300) }));
  const rows = value(await call(nurse, 'worklistPage', { batchId: oldBatch, offset: 0, limit: 1000 })).rows;
  const onlyOld = rows.find((r) => r.patientId === 'P-100');
  if (!onlyOld) throw new Error('P-100 is not in the worklist');
  value(await call(nurse, 'patientDetail', { batchId: oldBatch, patientId: 'P-100', rowIndex: onlyOld.rowIndex }));
  value(
    await call(nurse, 'markReviewed', {
      batchId: oldBatch,
      patientId: 'P-100',
      rowIndex: onlyOld.rowIndex,
      note: 'called, no answer',
    }),
  );
  value(
    await call(nurse, 'setFollowUpStatus', {
      batchId: oldBatch,
      patientId: 'P-100',
      status: 'contacted',
      note: 'spoke to the patient',
    }),
  );
  value(await call(nurse, 'assignFollowUp', { patientIds: ['P-100', 'P-5'], assignee: 'nurse' }));
  value(await call(nurse, 'patientHistory', { patientId: 'P-100' }));

  // Ten weeks later: 300 other patients, and P-0..P-9 screened again (they stay: one screening is kept).
  await daysLater(70);
  const again = pimaBatch(0, 10).split('\n').slice(1);
  const fresh = value(
    await call(nurse, 'importBatch', { operationId: 'new', fileName: 'new.csv', content: pimaBatch(300, 600, again) }),
  );
  newBatch = fresh.batch.batchId;
  value(await call(admin, 'importLabels', { fileName: 'new-labels.csv', content: pimaLabels(300, 600) }));

  const settings = value(await call(admin, 'getSettings', {}));
  value(
    await call(admin, 'updateSettings', {
      values: { ...settings.values, retention: { patientRowsMonths: 1 } },
      expectedVersion: settings.version,
    }),
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('retention cut-off', () => {
  test('is refused while retention is off', () => {
    expect(() => retentionCutoff(null, new Date('2026-06-10T12:00:00Z'))).toThrow(/retention is off/);
  });

  test('is the Monday of the week the configured months back fall in, and never later than the setting', () => {
    // 2026-03-10 is a Tuesday; its week began on Monday 2026-03-09.
    expect(retentionCutoff(3, new Date('2026-06-10T12:00:00Z'))).toBe('2026-03-09');
    // 31 May minus 3 months is the end of February.
    expect(retentionCutoff(3, new Date('2026-05-31T12:00:00Z'))).toBe('2026-02-23');
    expect(retentionCutoff(3, new Date('2026-06-10T12:00:00Z'), '2026-01-15')).toBe('2026-01-12');
    expect(() => retentionCutoff(3, new Date('2026-06-10T12:00:00Z'), '2026-05-01')).toThrow(/later than/);
    expect(() => retentionCutoff(3, new Date('2026-06-10T12:00:00Z'), 'yesterday')).toThrow(/not a date/);
  });
});

describe('purging the patient rows of batches before the cut-off', () => {
  let before: Awaited<ReturnType<typeof monitoringFigures>>;
  let preview: RetentionPurgeDto;
  let rowsBefore: Record<string, number>;

  test('the preview counts what would go and changes nothing', async () => {
    before = await monitoringFigures();
    // The purged week is judged on its 300 real outcomes, so keeping its figures is a real check.
    expect(before.weeks.map((w) => w.n)).toEqual([300, 300]);
    expect(before.weeks[0].auc).toBeGreaterThan(0.5);
    expect(before.estimates).toHaveLength(2);
    expect(before.drift).toHaveLength(2);
    rowsBefore = patientRowCounts(app.store);
    const auditBefore = app.store.audit.count();
    preview = value(await call(admin, 'retentionPreview', {}));
    expect(preview.counts).toMatchObject({
      batches: 1,
      predictions: 300,
      rowIssues: 1,
      reviews: 1,
      labels: 300,
      // P-100 has one step; P-5 keeps its follow-up (screened again).
      followUpSteps: 2,
      followUpAssignments: 1,
      patients: 290,
    });
    expect(preview.counts.files).toBeGreaterThanOrEqual(1);
    // patient.reviewed, read.patient-detail, follow-up.status (x2: reviewed then contacted), follow-up.assigned,
    // read.patient-history of P-100.
    expect(preview.counts.auditEvents).toBeGreaterThanOrEqual(5);
    expect(patientRowCounts(app.store)).toEqual(rowsBefore);
    expect(app.store.audit.count()).toBe(auditBefore);
    expect(existsSync(oldOutput)).toBe(true);
  });

  test('a purge refused by a fault just before its commit leaves everything as it was', () => {
    const auditBefore = app.store.audit.count();
    expect(() =>
      purgePatientRows(app.store, {
        months: 1,
        now: new Date(app.store.audit.head()?.at ?? Date.now()),
        actor: 'admin',
        dryRun: false,
        expectations: readModelExpectations(app.modelsRoot),
        rejectedDir: join(app.dataDir, 'rejected'),
        beforeCommit: () => {
          throw new Error('power cut');
        },
      }),
    ).toThrow('power cut');
    expect(patientRowCounts(app.store)).toEqual(rowsBefore);
    expect(app.store.audit.count()).toBe(auditBefore);
    expect(existsSync(oldOutput)).toBe(true);
    expect(verifyAuditIntegrity(app.store).problems).toEqual([]);
  });

  test('a purge needs the typed confirmation and the cut-off the preview showed', async () => {
    const wrong = await call(admin, 'purgePatientRows', { cutoff: '2000-01-03', confirm: 'PURGE' });
    expect(wrong.ok ? '' : wrong.error.message).toMatch(/preview the purge again/);
    // @ts-expect-error the contract demands the confirmation word
    const unconfirmed = await call(admin, 'purgePatientRows', { cutoff: preview.cutoff, confirm: 'yes' });
    expect(unconfirmed.ok ? '' : unconfirmed.error.code).toBe('invalid-argument');
    const byNurse = await call(nurse, 'purgePatientRows', { cutoff: preview.cutoff, confirm: 'PURGE' });
    expect(byNurse.ok ? '' : byNurse.error.code).toBe('forbidden');
    // Only the refusal was audited (access.denied).
    expect(patientRowCounts(app.store)).toEqual({ ...rowsBefore, audit_events: rowsBefore.audit_events + 1 });
  });

  test('the purge removes the rows and files, keeps monitoring figures, and the audit chain verifies', async () => {
    const done = value(await call(admin, 'purgePatientRows', { cutoff: preview.cutoff, confirm: 'PURGE' }));
    expect(done.counts).toEqual(preview.counts);
    const after = patientRowCounts(app.store);
    expect(rowsBefore.predictions - after.predictions).toBe(300);
    expect(rowsBefore.labels - after.labels).toBe(300);
    expect(after.reviews).toBe(0);
    expect(after.pending_file_deletions).toBe(0);
    expect(existsSync(oldOutput)).toBe(false);

    const page = value(await call(nurse, 'worklistPage', { batchId: oldBatch, offset: 0, limit: 10 }));
    expect(page.rows).toEqual([]);
    const gone = await call(nurse, 'patientHistory', { patientId: 'P-100' });
    expect(gone.ok ? '' : gone.error.message).toBe('Patient P-100 has not been screened.');
    const kept = value(await call(nurse, 'patientHistory', { patientId: 'P-5' }));
    expect(kept.screenings.map((s) => s.batchId)).toEqual([newBatch]);

    expect(await monitoringFigures()).toEqual(before);
    const integrity = verifyAuditIntegrity(app.store);
    expect(integrity.problems).toEqual([]);
    const purge = app.store.audit.list({ action: 'retention.purged' });
    expect(purge).toHaveLength(1);
    expect(purge[0].actor).toBe('admin');
    expect(JSON.stringify(purge[0].details)).not.toMatch(/P-\d/);
    const tombstones = app.store.audit.list().filter((e) => e.purgedBySeq === purge[0].seq);
    expect(tombstones).toHaveLength(preview.counts.auditEvents);
    for (const t of tombstones) expect([t.subject, t.details]).toEqual([null, {}]);
    const shown = value(await call(admin, 'auditLog', { action: 'patient.reviewed', offset: 0, limit: 10 }));
    expect(shown.events.map((e) => [e.subject, e.purgedBySeq])).toEqual([[null, purge[0].seq]]);
    // The trail keeps the seq and hash of each tombstone, not its patient_id.
    const trail = readFileSync(app.store.audit.trailPath ?? '', 'utf8');
    expect(trail).not.toContain('"subject":"P-100"');
    expect(trail).toContain('"subject":"P-5"');
  });

  test('a second purge with nothing left to remove changes nothing', async () => {
    const again = value(await call(admin, 'retentionPreview', {}));
    expect(again.counts.batches).toBe(0);
  });
});

describe('tombstones cannot hide an edit', () => {
  /** A copy of the app's database and trail, opened with the app's audit key, tampered with by `sql`. */
  async function tamperedCopy(sql: string, params: unknown[] = []): Promise<Store> {
    const copyDir = mkdtempSync(join(dir, 'tamper-'));
    const dbCopy = join(copyDir, 'copy.db');
    await app.store.backup(dbCopy);
    const trailCopy = join(copyDir, 'copy.audit.jsonl');
    copyFileSync(app.store.audit.trailPath ?? '', trailCopy);
    execRawSql(dbCopy, sql, params);
    return openStore(dbCopy, { auditTrailPath: trailCopy, auditKeyring: app.store.audit.keyring() });
  }

  const purgeSeq = () => app.store.audit.list({ action: 'retention.purged' })[0].seq;
  /** An event of a kept patient that no purge touched. */
  const keptEvent = () => app.store.audit.list().find((e) => e.action === 'follow-up.assigned' && e.subject === 'P-5');

  test('an untampered copy verifies', async () => {
    const copy = await tamperedCopy('SELECT 1');
    try {
      expect(verifyAuditIntegrity(copy).problems).toEqual([]);
    } finally {
      copy.close();
    }
  });

  test('an event emptied and marked purged without a purge event naming it is found', async () => {
    const seq = keptEvent()?.seq;
    const copy = await tamperedCopy(
      `UPDATE audit_events SET subject = NULL, details = '{}', purged_by_seq = 999999 WHERE seq = ?`,
      [seq],
    );
    try {
      const problems = verifyAuditIntegrity(copy).problems;
      expect(problems.map((p) => [p.seq, p.kind])).toContainEqual([seq, 'edited']);
      expect(problems.map((p) => p.message).join('\n')).toMatch(/marked purged, but no verified purge event/);
    } finally {
      copy.close();
    }
  });

  test('an event marked as tombstoned by the real purge is found by the purge digest', async () => {
    const copy = await tamperedCopy(
      `UPDATE audit_events SET subject = NULL, details = '{}', purged_by_seq = ? WHERE seq = ?`,
      [purgeSeq(), keptEvent()?.seq],
    );
    try {
      const problems = verifyAuditIntegrity(copy).problems;
      expect(problems.map((p) => [p.seq, p.kind])).toContainEqual([purgeSeq(), 'edited']);
    } finally {
      copy.close();
    }
  });

  test('a tombstone whose marker is removed fails its hash again', async () => {
    const tombstone = app.store.audit.list().find((e) => e.purgedBySeq === purgeSeq());
    const copy = await tamperedCopy('UPDATE audit_events SET purged_by_seq = NULL WHERE seq = ?', [tombstone?.seq]);
    try {
      const kinds = verifyAuditIntegrity(copy).problems.map((p) => [p.seq, p.kind]);
      expect(kinds).toContainEqual([tombstone?.seq, 'edited']);
      expect(kinds).toContainEqual([purgeSeq(), 'edited']);
    } finally {
      copy.close();
    }
  });

  test('a batch marked purged with its rows deleted outside a purge is found', async () => {
    const copy = await tamperedCopy(`UPDATE batches SET purged_at = '2026-01-01T00:00:00Z' WHERE id = ?`, [
      Number(newBatch),
    ]);
    try {
      const messages = verifyAuditIntegrity(copy).problems.map((p) => p.message);
      expect(messages).toContainEqual(`batch ${newBatch} is marked purged, but no retention purge event names it`);
    } finally {
      copy.close();
    }
  });
});
