import { CLOSED_STATUSES } from '../followup/closed-statuses';
import type { FollowUpStatus } from '../followup/follow-up-status';
import type { SqliteDatabase } from './database';
import type {
  AssignmentRecord,
  FollowUpEntry,
  FollowUpEventRecord,
  FollowUpResultRecord,
  FollowUpStore,
  ScreeningRecord,
} from './follow-up-repository';
import { categoryOf } from './risk-category-code';
import { type Row, str } from './row-values';

const SCREENING_COLUMNS = `p.batch_id, p.row_index, p.score, p.category, p.recommendation, b.file_name,
  b.prediction_date, b.model_version`;

export function createSqliteFollowUpStore(db: SqliteDatabase, iso: () => string): FollowUpStore {
  const latestEvent = db.prepare(
    'SELECT status, at FROM follow_up_events WHERE patient_id = ? ORDER BY id DESC LIMIT 1',
  );
  const assignment = db.prepare('SELECT * FROM follow_up_assignments WHERE patient_id = ?');
  const latestScreening = db.prepare(
    `SELECT ${SCREENING_COLUMNS} FROM predictions p JOIN batches b ON b.id = p.batch_id
     WHERE p.patient_id = ? AND b.status = 'completed' ORDER BY b.prediction_date DESC, b.id DESC, p.row_index DESC
     LIMIT 1`,
  );
  const firstRecommended = db.prepare(
    `SELECT min(b.prediction_date) AS at FROM predictions p JOIN batches b ON b.id = p.batch_id
     WHERE p.patient_id = ? AND p.recommendation = 1 AND b.status = 'completed'`,
  );

  // Once per worklist row of a page: prepared once.
  const previous = db.prepare(
    `SELECT ${SCREENING_COLUMNS} FROM predictions p JOIN batches b ON b.id = p.batch_id
     JOIN batches this ON this.id = ?
     WHERE p.patient_id = ? AND b.status = 'completed' AND b.id != this.id
       AND (b.prediction_date < this.prediction_date OR (b.prediction_date = this.prediction_date AND b.id < this.id))
     ORDER BY b.prediction_date DESC, b.id DESC, p.row_index DESC LIMIT 1`,
  );

  /** Where every followed-up patient stands: the newest event and the assignment of each (small tables). */
  const statuses = () =>
    new Map(
      (
        db
          .prepare(
            `SELECT patient_id, status, at FROM follow_up_events
             WHERE id IN (SELECT max(id) FROM follow_up_events GROUP BY patient_id)`,
          )
          .all() as Row[]
      ).map((r) => [r.patient_id as string, { status: r.status as FollowUpStatus, at: r.at as string }]),
    );
  const assignments = () =>
    new Map(
      (db.prepare('SELECT patient_id, assignee FROM follow_up_assignments').all() as Row[]).map((r) => [
        r.patient_id as string,
        r.assignee as string,
      ]),
    );
  /** The first recommending screening of each patient: one pass over the predictions for a whole-clinic list. */
  const firstRecommendations = (): Map<string, string> =>
    new Map(
      (
        db
          .prepare(
            `SELECT p.patient_id, min(b.prediction_date) AS at FROM predictions p JOIN batches b ON b.id = p.batch_id
             WHERE p.recommendation = 1 AND b.status = 'completed' GROUP BY p.patient_id`,
          )
          .raw()
          .all() as [string, string][]
      ).map(([id, at]) => [id, at]),
    );

  return {
    addEvent(input) {
      const info = db
        .prepare(
          `INSERT INTO follow_up_events (patient_id, batch_id, row_index, status, note, correction, actor, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.patientId,
          input.batchId,
          input.rowIndex,
          input.status,
          input.note,
          input.correction ? 1 : 0,
          input.actor,
          iso(),
        );
      return toEvent(db.prepare('SELECT * FROM follow_up_events WHERE id = ?').get(info.lastInsertRowid) as Row);
    },
    addResult(input) {
      const info = db
        .prepare(
          `INSERT INTO follow_up_results (event_id, patient_id, test, value, unit, test_date, outcome, rule,
             label_source_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.eventId,
          input.patientId,
          input.test,
          input.value,
          input.unit,
          input.testDate,
          input.outcome,
          input.rule,
          input.labelSourceSha256,
        );
      return toResult(db.prepare('SELECT * FROM follow_up_results WHERE id = ?').get(info.lastInsertRowid) as Row);
    },
    statusOf(patientId) {
      const event = latestEvent.get(patientId) as Row | undefined;
      return event ? (event.status as FollowUpStatus) : 'to-review';
    },
    events(patientId) {
      return (
        db.prepare('SELECT * FROM follow_up_events WHERE patient_id = ? ORDER BY id').all(patientId) as Row[]
      ).map(toEvent);
    },
    results(patientId) {
      return (
        db.prepare('SELECT * FROM follow_up_results WHERE patient_id = ? ORDER BY id').all(patientId) as Row[]
      ).map(toResult);
    },
    assign(input) {
      const before = assignment.get(input.patientId) as Row | undefined;
      db.prepare(
        `INSERT INTO follow_up_assignments (patient_id, assignee, assigned_by, assigned_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (patient_id) DO UPDATE SET assignee = excluded.assignee, assigned_by = excluded.assigned_by,
           assigned_at = excluded.assigned_at`,
      ).run(input.patientId, input.assignee, input.assignedBy, iso());
      return {
        before: before ? toAssignment(before) : null,
        after: toAssignment(assignment.get(input.patientId) as Row),
      };
    },
    assignmentOf(patientId) {
      const row = assignment.get(patientId) as Row | undefined;
      return row ? toAssignment(row) : null;
    },
    screeningsOf(patientId) {
      return (
        db
          .prepare(
            `SELECT ${SCREENING_COLUMNS} FROM predictions p JOIN batches b ON b.id = p.batch_id
             WHERE p.patient_id = ? AND b.status = 'completed' ORDER BY b.prediction_date, b.id, p.row_index`,
          )
          .all(patientId) as Row[]
      ).map(toScreening);
    },
    previousScreening(patientId, batchId) {
      const row = previous.get(batchId, patientId) as Row | undefined;
      return row ? toScreening(row) : null;
    },
    list(query) {
      const status = statuses();
      const assigned = assignments();
      let firstOf: (patientId: string) => string | null;
      let ids: Iterable<string>;
      if (query.assignee !== undefined) {
        const assignee = query.assignee.toLowerCase();
        ids = [...assigned].filter(([, a]) => a.toLowerCase() === assignee).map(([id]) => id);
        firstOf = (id) => str((firstRecommended.get(id) as Row).at);
      } else {
        const first = firstRecommendations();
        ids = new Set([...first.keys(), ...assigned.keys(), ...status.keys()]);
        firstOf = (id) => first.get(id) ?? null;
      }
      const open: Omit<FollowUpEntry, 'latest'>[] = [];
      for (const patientId of ids) {
        const event = status.get(patientId);
        const entry = {
          patientId,
          status: event?.status ?? ('to-review' as const),
          statusAt: event?.at ?? null,
          assignee: assigned.get(patientId) ?? null,
          firstRecommendedAt: firstOf(patientId),
        };
        const closed = CLOSED_STATUSES.includes(entry.status);
        if (closed && !query.includeClosed) continue;
        if (query.recommendedBefore !== undefined) {
          if (closed || entry.firstRecommendedAt === null || entry.firstRecommendedAt > query.recommendedBefore)
            continue;
        }
        open.push(entry);
      }
      open.sort(
        (a, b) =>
          (a.firstRecommendedAt ?? '\uffff').localeCompare(b.firstRecommendedAt ?? '\uffff') ||
          a.patientId.localeCompare(b.patientId),
      );
      // The latest screening only for the entries returned; a patient without one (never screened) is left out.
      const entries: FollowUpEntry[] = [];
      for (const entry of open.slice(0, query.limit)) {
        const latest = latestScreening.get(entry.patientId) as Row | undefined;
        if (latest) entries.push({ ...entry, latest: toScreening(latest) });
      }
      return { total: open.length, entries };
    },
  };
}

function toEvent(r: Row): FollowUpEventRecord {
  return {
    id: r.id as number,
    patientId: r.patient_id as string,
    batchId: r.batch_id as number | null,
    rowIndex: r.row_index as number | null,
    status: r.status as FollowUpEventRecord['status'],
    note: r.note as string,
    correction: r.correction === 1,
    actor: r.actor as string,
    at: r.at as string,
  };
}

function toResult(r: Row): FollowUpResultRecord {
  return {
    id: r.id as number,
    eventId: r.event_id as number,
    patientId: r.patient_id as string,
    test: r.test as FollowUpResultRecord['test'],
    value: r.value as number,
    unit: r.unit as FollowUpResultRecord['unit'],
    testDate: r.test_date as string,
    outcome: r.outcome === 1 ? 1 : 0,
    rule: r.rule as string,
    labelSourceSha256: r.label_source_sha256 as string,
  };
}

function toAssignment(r: Row): AssignmentRecord {
  return {
    patientId: r.patient_id as string,
    assignee: r.assignee as string,
    assignedBy: r.assigned_by as string,
    assignedAt: r.assigned_at as string,
  };
}

function toScreening(r: Row): ScreeningRecord {
  return {
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    fileName: r.file_name as string,
    predictionDate: r.prediction_date as string,
    score: r.score as number,
    category: categoryOf(r.category),
    recommendation: r.recommendation === 1 ? 1 : 0,
    modelVersion: str(r.model_version),
  };
}
