import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WorklistRow } from '../../api/outputs';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { writeSyntheticBatch } from '../../screening/synthetic-batch';
import { crossCheckAudit } from '../../store/audit-crosscheck';
import { pimaPath } from '../../testing/pima';
import { execRawSql } from '../../testing/store-fixtures';
import type { ClientSession } from '../client-session';
import { restoreCsvText } from '../csv-export';
import { contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

const DAY = 86_400_000;
let app: TestApp;
let dir: string;
let week1: string;
const call = contractCaller(() => app);
let admin: ClientSession;
let nurse: ClientSession;
let batch1 = '';
let rows1: WorklistRow[] = [];
let clockOffset = 0;
const today = () => new Date(Date.now() + clockOffset).toISOString().slice(0, 10);

/** Days pass: the app's clock moves, and both sessions, locked by the inactivity, are unlocked again. */
async function daysLater(days: number) {
  app.advanceClock(days * DAY);
  clockOffset += days * DAY;
  value(await call(nurse, 'unlock', { password: 'nurse password 1' }));
  value(await call(admin, 'unlock', { password: 'admin password 1' }));
}

/** The week-1 file with every other patient's Glucose raised by 30 (capped at the file rule's 199). */
function weekLater(csv: string): string {
  const [header, ...lines] = csv.trim().split('\n');
  const glucose = header.split(',').indexOf('Glucose');
  return [
    header,
    ...lines.map((line, i) => {
      if (i % 2 === 1) return line;
      const cells = line.split(',');
      cells[glucose] = String(Math.min(199, Number(cells[glucose]) + 30));
      return cells.join(',');
    }),
  ].join('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-follow-up-'));
  app = await createTestApp(join(dir, 'data'));
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  const path = join(dir, 'week1.csv');
  writeSyntheticBatch(path, pima.table, { rows: 120, seed: 5 });
  // A patient_id a spreadsheet would read as a formula: the export must neutralise it.
  week1 = readFileSync(path, 'utf8').replace(/\nP001,/, '\n-17,');
  admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'admin password 1' }));
  value(await call(admin, 'createUser', { username: 'nurse', password: 'nurse password 1', role: 'clinician' }));
  nurse = app.newSession();
  value(await call(nurse, 'signIn', { username: 'nurse', password: 'nurse password 1' }));
  const imported = value(
    await call(nurse, 'importBatch', { operationId: 'w1', fileName: 'week1.csv', content: week1 }),
  );
  batch1 = imported.batch.batchId;
  rows1 = value(await call(nurse, 'worklistPage', { batchId: batch1, offset: 0, limit: 1000 })).rows;
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const recommended = () => rows1.filter((r) => r.recommended);
const codeOf = (r: { ok: boolean; error?: { code: string; message: string } }) => (r.ok ? 'ok' : r.error?.code);
const messageOf = (r: { ok: boolean; error?: { message: string } }) => (r.ok ? '' : (r.error?.message ?? ''));

describe('follow-up through to the outcome, on a batch drawn from the Pima data', () => {
  test('the batch has recommended patients to follow up, and nobody has a rise on a first screening', () => {
    expect(recommended().length).toBeGreaterThanOrEqual(6);
    expect(rows1.every((r) => r.riskRise === null)).toBe(true);
  });

  test('assigning a worklist selection: audited with before and after; unknown people and patients are refused', async () => {
    const ids = [
      ...recommended()
        .slice(0, 4)
        .map((r) => r.patientId),
      '-17',
    ];
    const outcome = value(await call(nurse, 'assignFollowUp', { patientIds: ids, assignee: 'nurse' }));
    expect(outcome.changed.sort()).toEqual([...ids].sort());
    const reassigned = value(await call(nurse, 'assignFollowUp', { patientIds: [ids[0]], assignee: 'admin' }));
    expect(reassigned.changed).toEqual([ids[0]]);
    value(await call(nurse, 'assignFollowUp', { patientIds: [ids[0]], assignee: 'nurse' }));
    const events = app.store.audit.list({ action: 'follow-up.assigned' }).filter((e) => e.subject === ids[0]);
    expect(events.map((e) => e.details)).toEqual([
      { before: null, after: 'nurse' },
      { before: 'nurse', after: 'admin' },
      { before: 'admin', after: 'nurse' },
    ]);
    const nobody = await call(nurse, 'assignFollowUp', { patientIds: [ids[1]], assignee: 'ghost' });
    expect(codeOf(nobody)).toBe('invalid-argument');
    expect(messageOf(nobody)).toContain('ghost is not an enabled account');
    const unknown = value(await call(nurse, 'assignFollowUp', { patientIds: ['NOT-SCREENED'], assignee: 'nurse' }));
    expect(unknown).toEqual({
      changed: [],
      refused: [{ patientId: 'NOT-SCREENED', rule: 'NOT-SCREENED has not been screened' }],
    });
    expect(value(await call(nurse, 'followUpCounts', {}))).toEqual({ mine: 5, overdue: 0, overdueDays: 30 });
  });

  test('statuses move only as the state machine allows, each audited with a hash of its note', async () => {
    const [a, b, c] = recommended();
    const skip = await call(nurse, 'setFollowUpStatus', {
      batchId: batch1,
      patientId: a.patientId,
      status: 'declined',
    });
    expect(codeOf(skip)).toBe('ok');
    const reopenBare = await call(nurse, 'setFollowUpStatus', {
      batchId: batch1,
      patientId: a.patientId,
      status: 'contacted',
    });
    expect(codeOf(reopenBare)).toBe('conflict');
    expect(messageOf(reopenBare)).toBe(
      `${a.patientId}: reopening a patient who was “Declined” needs a note saying why`,
    );
    const reopened = value(
      await call(nurse, 'setFollowUpStatus', {
        batchId: batch1,
        patientId: a.patientId,
        status: 'contacted',
        note: 'Called back, agrees to a test.',
      }),
    );
    expect(reopened).toMatchObject({ status: 'contacted', assignment: { assignee: 'nurse' }, canRecordResult: true });
    const audit = app.store.audit.list({ action: 'follow-up.status' }).filter((e) => e.subject === a.patientId);
    expect(audit.map((e) => [e.details.from, e.details.to])).toEqual([
      ['to-review', 'declined'],
      ['declined', 'contacted'],
    ]);
    // The note's text stays in the table; the audit line has its hash only.
    expect(JSON.stringify(audit)).not.toContain('agrees to a test');

    // Bulk "mark contacted" on a selection: a closed patient is listed with the rule, the rest move on.
    value(await call(nurse, 'setFollowUpStatus', { batchId: batch1, patientId: c.patientId, status: 'unreachable' }));
    const bulk = value(
      await call(nurse, 'markContacted', { batchId: batch1, patientIds: [b.patientId, c.patientId, 'NOPE'] }),
    );
    expect(bulk.changed).toEqual([b.patientId]);
    expect(bulk.refused).toEqual([
      {
        patientId: c.patientId,
        rule: `${c.patientId}: reopening a patient who was “Unreachable (lost to follow-up)” needs a note saying why`,
      },
      { patientId: 'NOPE', rule: `Patient NOPE is not in batch ${batch1}.` },
    ]);
  });

  test('markReviewed still works and is also the follow-up step `reviewed`, note and all', async () => {
    const d = recommended()[3];
    value(await call(nurse, 'markReviewed', { batchId: batch1, patientId: d.patientId, note: 'Letter sent.' }));
    const history = value(await call(nurse, 'patientHistory', { patientId: d.patientId }));
    expect(history.events.map((e) => [e.status, e.note, e.by])).toEqual([['reviewed', 'Letter sent.', 'nurse']]);
    expect(history.status).toBe('reviewed');
    // Further along, a review note is kept but does not move the status back.
    const a = recommended()[0];
    value(await call(nurse, 'markReviewed', { batchId: batch1, patientId: a.patientId, note: 'Seen again.' }));
    expect(value(await call(nurse, 'patientHistory', { patientId: a.patientId })).status).toBe('contacted');
  });

  test('a result derives the diagnosis, becomes the patient label through the labels path, and monitoring sees it', async () => {
    const a = recommended()[0];
    const before = value(await call(admin, 'monitoringSummary', {})).labelCount;
    const recorded = value(
      await call(nurse, 'recordFollowUpResult', {
        batchId: batch1,
        patientId: a.patientId,
        test: 'hba1c',
        value: 53,
        unit: 'mmol/mol',
        testDate: today(),
      }),
    );
    expect(recorded.result).toMatchObject({
      outcome: 1,
      rule: 'HbA1c 53 mmol/mol ≥ 48 mmol/mol: diabetes (ADA cut-off)',
    });
    expect(recorded.converted).toEqual({ value: 7, unit: '%' });
    expect(recorded.label).toMatchObject({ status: 'imported', inserted: 1, matched: 1, conflicts: [] });
    expect(recorded.state).toMatchObject({ status: 'result-recorded', nextStatuses: [], canRecordResult: true });
    const label = app.store.labels.list().find((l) => l.patientId === a.patientId);
    expect(label).toMatchObject({ outcome: 1, diagnosisDate: today(), batchId: Number(batch1), rowIndex: a.rowIndex });
    expect(value(await call(admin, 'monitoringSummary', {})).labelCount).toBe(before + 1);
    const matched = app.store.labels.listMatched().filter((l) => l.patientId === a.patientId);
    expect(matched).toHaveLength(1);

    // The same diagnosis imported from a labels file is a duplicate: unchanged, as for any import.
    const file = value(
      await call(admin, 'importLabels', {
        fileName: 'lab.csv',
        content: `patient_id,outcome,diagnosis_date\n${a.patientId},1,${today()}\n`,
      }),
    );
    expect(file.report).toMatchObject({ inserted: 0, unchanged: 1 });

    // Final: another result needs a correction with a note; a correcting outcome conflicts with the stored label
    // and is reported, not stored, exactly as a conflicting import.
    const again = await call(nurse, 'recordFollowUpResult', {
      batchId: batch1,
      patientId: a.patientId,
      test: 'fpg',
      value: 99,
      unit: 'mg/dL',
      testDate: today(),
    });
    expect(messageOf(again)).toContain('is final');
    const corrected = value(
      await call(nurse, 'recordFollowUpResult', {
        batchId: batch1,
        patientId: a.patientId,
        test: 'fpg',
        value: 99,
        unit: 'mg/dL',
        testDate: today(),
        correction: true,
        note: 'HbA1c was another patient’s sample.',
      }),
    );
    expect(corrected.label.conflicts).toEqual([
      { line: 1, patientId: a.patientId, diagnosisDate: today(), storedOutcome: 1, newOutcome: 0 },
    ]);
    expect(app.store.labels.list().filter((l) => l.patientId === a.patientId)).toHaveLength(1);

    // The events carry digests that audit:verify checks against the tables.
    expect(app.store.audit.verify().ok).toBe(true);
    expect(crossCheckAudit(app.store)).toEqual([]);
    // No value or outcome of the patient in the audit trail.
    const resultEvents = app.store.audit.list({ action: 'follow-up.result-recorded' });
    expect(resultEvents).toHaveLength(2);
    expect(JSON.stringify(resultEvents)).not.toMatch(/"value"|"outcome"|mmol/);
  });

  test('implausible results, mismatched units and future dates are refused with the rule, storing nothing', async () => {
    const b = recommended()[1];
    const counts = () => [
      app.store.audit.count(),
      app.store.labels.count(),
      app.store.followUps.events(b.patientId).length,
    ];
    const before = counts();
    const cases = [
      [{ test: 'hba1c', value: 65, unit: '%' }, 'value: HbA1c 65 % is not a plausible result (3-20 %)'],
      [{ test: 'ogtt', value: 7, unit: '%' }, 'the unit does not belong to the test'],
      [{ test: 'fpg', value: 130, unit: 'mg/dL', testDate: '2999-01-01' }, 'testDate: 2999-01-01 is in the future'],
      [{ test: 'fpg', value: 130, unit: 'mg/dL', testDate: '2026-02-30' }, 'testDate'],
    ] as const;
    for (const [result, message] of cases) {
      const refused = await call(nurse, 'recordFollowUpResult', {
        batchId: batch1,
        patientId: b.patientId,
        testDate: '2026-01-05',
        ...result,
      });
      expect(codeOf(refused)).toBe('invalid-argument');
      expect(messageOf(refused)).toContain(message);
    }
    expect(counts()).toEqual(before);
  });

  test('a failure while storing the label leaves no step, no result, no label and no audit or trail line', async () => {
    const b = recommended()[1];
    const trailLines = () =>
      readFileSync(app.store.audit.trailPath as string, 'utf8')
        .trim()
        .split('\n').length;
    const before = {
      audit: app.store.audit.count(),
      trail: trailLines(),
      labels: app.store.labels.count(),
      events: app.store.followUps.events(b.patientId).length,
      results: app.store.followUps.results(b.patientId).length,
    };
    const labels = app.store.labels as { add: typeof app.store.labels.add };
    const add = labels.add;
    labels.add = () => {
      throw new Error('disk full');
    };
    try {
      const failed = await call(nurse, 'recordFollowUpResult', {
        batchId: batch1,
        patientId: b.patientId,
        test: 'ogtt',
        value: 210,
        unit: 'mg/dL',
        testDate: today(),
      });
      expect(codeOf(failed)).toBe('internal');
    } finally {
      labels.add = add;
    }
    expect({
      audit: app.store.audit.count(),
      trail: trailLines(),
      labels: app.store.labels.count(),
      events: app.store.followUps.events(b.patientId).length,
      results: app.store.followUps.results(b.patientId).length,
    }).toEqual(before);
    expect(app.store.audit.verify().ok).toBe(true);
    expect(app.store.followUps.statusOf(b.patientId)).toBe('contacted');
  });

  test('a week later the same patients are screened again: the history and the risk-rose marker follow the rule', async () => {
    await daysLater(7);
    const week2 = weekLater(week1);
    const batch2 = value(await call(nurse, 'importBatch', { operationId: 'w2', fileName: 'week2.csv', content: week2 }))
      .batch.batchId;
    const rows2 = value(await call(nurse, 'worklistPage', { batchId: batch2, offset: 0, limit: 1000 })).rows;
    const previous = new Map(rows1.map((r) => [r.patientId, r]));
    const rank = { Low: 0, Medium: 1, High: 2 };
    let rose = 0;
    for (const row of rows2) {
      const before = previous.get(row.patientId);
      if (!before) throw new Error(`${row.patientId} was not in week 1`);
      const expected =
        rank[row.category] > rank[before.category] ||
        Math.round(row.score * 1000) - Math.round(before.score * 1000) >= 100;
      expect(row.riskRise ?? null, row.patientId).toEqual(
        expected
          ? { previousScore: before.score, previousCategory: before.category, previousDate: expect.any(String) }
          : null,
      );
      if (expected) rose++;
    }
    // Raising Glucose by 30 for half the patients must move some of them up.
    expect(rose).toBeGreaterThan(0);

    const a = recommended()[0];
    const history = value(await call(nurse, 'patientHistory', { patientId: a.patientId }));
    expect(history.screenings.map((s) => s.batchId)).toEqual([batch1, batch2]);
    expect(history.screenings[0]).toMatchObject({ score: a.score, category: a.category, recommended: true });
    expect(history.results.map((r) => r.test)).toEqual(['hba1c', 'fpg']);
    expect(history.events.map((e) => e.status)).toEqual([
      'declined',
      'contacted',
      'result-recorded',
      'result-recorded',
    ]);
    const read = app.store.audit.list({ action: 'read.patient-history' }).at(-1);
    expect(read).toMatchObject({ actor: 'nurse', subject: a.patientId, details: { screenings: 2 } });
    expect(codeOf(await call(nurse, 'patientHistory', { patientId: 'NEVER-SEEN' }))).toBe('not-found');
  });

  test('past the overdue days, open assigned follow-ups are overdue; closed ones never are; the export is safe CSV', async () => {
    await daysLater(24);
    const mine = value(await call(nurse, 'followUpList', { view: 'mine' }));
    // The patient with a result is closed, and so off the open list.
    expect(mine.entries.map((e) => e.patientId)).not.toContain(recommended()[0].patientId);
    const overdue = value(await call(nurse, 'followUpList', { view: 'overdue-mine' }));
    expect(overdue.overdueDays).toBe(30);
    // The clock runs from the first screening that recommended the patient: 31 days for week 1's, 24 for week 2's.
    const due = mine.entries.filter((e) => e.daysOpen !== null && e.daysOpen >= 30);
    expect(due.length).toBeGreaterThan(0);
    expect(mine.entries.some((e) => e.daysOpen === 24 || e.daysOpen === null)).toBe(true);
    expect(overdue.entries.map((e) => e.patientId).sort()).toEqual(due.map((e) => e.patientId).sort());
    expect(overdue.entries.every((e) => e.overdue && (e.daysOpen ?? 0) >= 30)).toBe(true);
    expect(value(await call(nurse, 'followUpCounts', {}))).toEqual({
      mine: mine.total,
      overdue: overdue.total,
      overdueDays: 30,
    });
    // The admin has nothing assigned, but sees every clinician's overdue patients.
    expect(value(await call(admin, 'followUpList', { view: 'overdue-mine' })).total).toBe(0);
    expect(value(await call(admin, 'followUpList', { view: 'overdue-all' })).total).toBeGreaterThanOrEqual(
      overdue.total,
    );

    const file = value(await call(nurse, 'exportFollowUps', { view: 'mine' }));
    const parsed = Papa.parse<string[]>(file.content.trim(), { newline: '\r\n' }).data;
    expect(parsed[0]).toEqual([
      'patient_id',
      'status',
      'status_since',
      'assigned_to',
      'first_recommended',
      'days_open',
      'overdue',
      'latest_screening',
      'latest_risk_category',
      'latest_score',
      'model_version',
    ]);
    expect(parsed).toHaveLength(mine.total + 1);
    expect(file.content).toContain('"\'-17"');
    expect(parsed.map((r) => restoreCsvText(r[0]))).toContain('-17');
    expect(app.store.audit.list({ action: 'follow-up.exported' }).at(-1)).toMatchObject({
      actor: 'nurse',
      details: { rows: mine.total },
    });
  });
});

describe('audit:verify checks the follow-up tables against their events', () => {
  test('an edited note, an edited result and a deleted step are each named with their event', async () => {
    expect(crossCheckAudit(app.store)).toEqual([]);
    const a = recommended()[0];
    const steps = app.store.followUps.events(a.patientId);
    const [result] = app.store.followUps.results(a.patientId);
    const dbPath = join(app.dataDir, 'glucoscreen.db');
    execRawSql(dbPath, "UPDATE follow_up_events SET note = 'changed later' WHERE id = ?", [steps[1].id]);
    execRawSql(dbPath, 'UPDATE follow_up_results SET value = 6.1 WHERE id = ?', [result.id]);
    const other = app.store.followUps.events(recommended()[3].patientId)[0];
    execRawSql(dbPath, 'DELETE FROM follow_up_events WHERE id = ?', [other.id]);
    const messages = crossCheckAudit(app.store).map((p) => p.message);
    // In the order of their events: the reopening step, the review of another patient, then the result.
    expect(messages).toEqual([
      expect.stringMatching(
        new RegExp(
          `^follow-up step ${steps[1].id} of patient_id ${a.patientId} \\(event seq \\d+\\): its note was changed afterwards$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^follow-up step ${other.id} of patient_id ${recommended()[3].patientId} .* is missing from the follow-up table$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^follow-up result ${result.id} of patient_id ${a.patientId} .*: its value, date or outcome changed afterwards$`,
        ),
      ),
    ]);
  });
});
