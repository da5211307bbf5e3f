import type { FollowUpView } from '../../api/follow-up-types';
import { fail, ok } from '../../api/result';
import { diagnose } from '../../followup/diagnosis-rule';
import { FOLLOW_UP_STATUS_LABELS } from '../../followup/follow-up-status';
import { storeLabelRows } from '../../labels/label-import';
import { alertRulesOf, raiseDueAlerts } from '../../monitoring/alert-sweep';
import { resultSha256 } from '../../store/follow-up-crosscheck';
import type { AppContext } from '../app-context';
import { exportFile } from '../batches/batch-mapping';
import { toCsv } from '../csv-export';
import type { CallContext, GroupHandlers } from '../dispatch';
import { auditRead } from '../users/read-access';
import { rowOf } from '../worklist/worklist-cache';
import {
  auditStep,
  entryDto,
  eventDto,
  followUpState,
  overdueCutoff,
  planStep,
  recordStep,
  resultDto,
  screeningDto,
  sha256,
  writeStep,
} from './follow-up-steps';

/** Used when the app runs without the admin deps that carry the config. */
const DEFAULT_OVERDUE_DAYS = 30;

const EXPORT_HEADER = [
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
] as const;

/** The follow-up of screened patients: statuses, results as labels, assignments, the lists and history. */
export function followUpHandlers(app: AppContext): GroupHandlers<'followUp'> {
  const { store } = app;
  const overdueDays = () => app.admin?.config.followUp.overdueDays ?? DEFAULT_OVERDUE_DAYS;

  /** The patient's row in a batch, or why there is none. */
  const screeningRow = (batchId: string, patientId: string, rowIndex?: number) => {
    const record = app.batchRecord(batchId);
    if (!record) return { ok: false as const, message: `There is no batch ${batchId}.` };
    const row = rowOf(app.worklists.of(record), patientId, rowIndex);
    if (row < 0) return { ok: false as const, message: `Patient ${patientId} is not in batch ${batchId}.` };
    return { ok: true as const, batchId: record.id, rowIndex: row };
  };

  const list = (view: FollowUpView, ctx: CallContext, limit: number) => {
    const username = app.actor(ctx).username;
    const now = app.now();
    const days = overdueDays();
    const found = store.followUps.list({
      assignee: view === 'mine' || view === 'overdue-mine' ? username : undefined,
      recommendedBefore: view.startsWith('overdue') ? overdueCutoff(now, days) : undefined,
      limit,
    });
    return {
      view,
      overdueDays: days,
      total: found.total,
      entries: found.entries.map((e) => entryDto(e, now, days)),
    };
  };

  return {
    async followUpAssignees() {
      return ok(
        store.users
          .list()
          .filter((u) => !u.disabled)
          .map((u) => u.username)
          .sort(),
      );
    },

    async setFollowUpStatus(arg, ctx) {
      const at = screeningRow(arg.batchId, arg.patientId, arg.rowIndex);
      if (!at.ok) return fail('not-found', at.message);
      const step = store.transaction(() =>
        recordStep(store, {
          actor: app.actor(ctx).username,
          patientId: arg.patientId,
          ...at,
          status: arg.status,
          note: arg.note,
        }),
      );
      if (!step.ok) return fail('conflict', step.rule);
      return ok(followUpState(store, arg.patientId));
    },

    async recordFollowUpResult(arg, ctx) {
      const actor = app.actor(ctx).username;
      const at = screeningRow(arg.batchId, arg.patientId, arg.rowIndex);
      if (!at.ok) return fail('not-found', at.message);
      const checked = diagnose({ test: arg.test, value: arg.value, unit: arg.unit });
      if (!checked.ok) return fail('invalid-argument', `value: ${checked.rule}.`);
      const today = app.now().toISOString().slice(0, 10);
      if (arg.testDate > today)
        return fail('invalid-argument', `testDate: ${arg.testDate} is in the future (today is ${today}).`);
      const { diagnosis } = checked;
      const step = {
        actor,
        patientId: arg.patientId,
        ...at,
        status: 'result-recorded' as const,
        note: arg.note,
        correction: arg.correction,
      };
      // Every write that can fail comes before the audit lines (see auditStep).
      const outcome = store.transaction(() => {
        const planned = planStep(store, step);
        if (!planned.ok) return planned;
        const event = writeStep(store, step);
        // One label source per recorded result: audit:verify checks its stored label row like a file's.
        const labelSha = sha256(`follow-up result|${event.id}|${arg.patientId}|${arg.testDate}|${diagnosis.outcome}`);
        const result = store.followUps.addResult({
          eventId: event.id,
          patientId: arg.patientId,
          test: arg.test,
          value: arg.value,
          unit: arg.unit,
          testDate: arg.testDate,
          outcome: diagnosis.outcome,
          rule: diagnosis.rule,
          labelSourceSha256: labelSha,
        });
        const label = storeLabelRows(
          store,
          {
            file: `follow-up result ${result.id}`,
            sha256: labelSha,
            rowsRead: 1,
            rows: [{ line: 1, patientId: arg.patientId, outcome: diagnosis.outcome, diagnosisDate: arg.testDate }],
            errors: [],
          },
          actor,
        );
        auditStep(store, step, planned.from, event);
        // The value and outcome are patient data: the audit line carries a hash of them, not the values.
        store.audit.append({
          actor,
          action: 'follow-up.result-recorded',
          subject: arg.patientId,
          details: {
            eventId: event.id,
            resultId: result.id,
            test: arg.test,
            correction: arg.correction,
            resultSha256: resultSha256(result),
          },
        });
        return { ok: true as const, result, label };
      });
      if (!outcome.ok) return fail('conflict', outcome.rule);
      // The alert rules see the new label at once, as after a batch; the Monitoring view recomputes when opened.
      if (app.admin) raiseDueAlerts(store, { ...alertRulesOf(app.admin.config), actor });
      return ok({
        state: followUpState(store, arg.patientId),
        result: resultDto(outcome.result),
        converted: diagnosis.converted,
        label: outcome.label,
      });
    },

    async assignFollowUp(arg, ctx) {
      const actor = app.actor(ctx).username;
      const assignee = store.users.get(arg.assignee);
      if (!assignee || assignee.disabled)
        return fail('invalid-argument', `assignee: ${arg.assignee} is not an enabled account.`);
      const changed: string[] = [];
      const refused: { patientId: string; rule: string }[] = [];
      store.transaction(() => {
        const done: { patientId: string; before: string | null; after: string }[] = [];
        for (const patientId of new Set(arg.patientIds)) {
          if (store.followUps.screeningsOf(patientId).length === 0) {
            refused.push({ patientId, rule: `${patientId} has not been screened` });
            continue;
          }
          const { before, after } = store.followUps.assign({
            patientId,
            assignee: assignee.username,
            assignedBy: actor,
          });
          done.push({ patientId, before: before?.assignee ?? null, after: after.assignee });
        }
        // Audited after every write (see auditStep).
        for (const { patientId, before, after } of done) {
          changed.push(patientId);
          store.audit.append({ actor, action: 'follow-up.assigned', subject: patientId, details: { before, after } });
        }
      });
      return ok({ changed, refused });
    },

    async markContacted(arg, ctx) {
      const actor = app.actor(ctx).username;
      const changed: string[] = [];
      const refused: { patientId: string; rule: string }[] = [];
      store.transaction(() => {
        const written = [];
        for (const patientId of new Set(arg.patientIds)) {
          const at = screeningRow(arg.batchId, patientId);
          if (!at.ok) {
            refused.push({ patientId, rule: at.message });
            continue;
          }
          const step = { actor, patientId, ...at, status: 'contacted' as const, note: arg.note };
          const planned = planStep(store, step);
          if (planned.ok) written.push({ step, from: planned.from, event: writeStep(store, step) });
          else refused.push({ patientId, rule: planned.rule });
        }
        // Audited after every write (see auditStep).
        for (const { step, from, event } of written) {
          auditStep(store, step, from, event);
          changed.push(step.patientId);
        }
      });
      return ok({ changed, refused });
    },

    async followUpList(arg, ctx) {
      const value = list(arg.view, ctx, arg.limit);
      auditRead(app, ctx, 'read.follow-up-list', arg.view, { rows: value.entries.length });
      return ok(value);
    },

    async followUpCounts(_arg, ctx) {
      const username = app.actor(ctx).username;
      const days = overdueDays();
      const mine = store.followUps.list({ assignee: username, limit: 0 }).total;
      const overdue = store.followUps.list({
        assignee: username,
        recommendedBefore: overdueCutoff(app.now(), days),
        limit: 0,
      }).total;
      return ok({ mine, overdue, overdueDays: days });
    },

    async exportFollowUps(arg, ctx) {
      const value = list(arg.view, ctx, Number.MAX_SAFE_INTEGER);
      const rows = value.entries.map((e) => [
        e.patientId,
        FOLLOW_UP_STATUS_LABELS[e.status],
        e.statusAt,
        e.assignee,
        e.firstRecommendedAt,
        e.daysOpen,
        e.overdue,
        e.latest.predictionDate,
        e.latest.category,
        e.latest.score,
        e.latest.modelVersion,
      ]);
      store.audit.append({
        actor: app.actor(ctx).username,
        action: 'follow-up.exported',
        subject: arg.view,
        details: { rows: rows.length },
      });
      const date = app.now().toISOString().slice(0, 10);
      return ok(exportFile(`follow-up_${arg.view}_${date}.csv`, toCsv(EXPORT_HEADER, rows), rows.length));
    },

    async patientHistory(arg, ctx) {
      const screenings = store.followUps.screeningsOf(arg.patientId);
      if (screenings.length === 0) return fail('not-found', `Patient ${arg.patientId} has not been screened.`);
      auditRead(app, ctx, 'read.patient-history', arg.patientId, { screenings: screenings.length });
      return ok({
        ...followUpState(store, arg.patientId),
        screenings: screenings.map(screeningDto),
        events: store.followUps.events(arg.patientId).map(eventDto),
        results: store.followUps.results(arg.patientId).map(resultDto),
      });
    },
  };
}
