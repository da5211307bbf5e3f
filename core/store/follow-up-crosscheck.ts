import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit-log';
import type { Store } from './store';

/**
 * Follow-up steps and results as their audit events recorded them: a note, status or result edited in the tables
 * afterwards (or a row deleted) is named with the event. Messages name ids and patient_ids only.
 */
export function crossCheckFollowUps(
  store: Store,
  events: readonly AuditEvent[],
  add: (seq: number, m: string) => void,
) {
  const stepsOf = new Map<string, Map<number, ReturnType<Store['followUps']['events']>[number]>>();
  const resultsOf = new Map<string, Map<number, ReturnType<Store['followUps']['results']>[number]>>();
  for (const event of events) {
    const d = event.details;
    const patientId = event.subject ?? '';
    if (event.action === 'follow-up.status' && typeof d.eventId === 'number' && typeof d.noteSha256 === 'string') {
      let steps = stepsOf.get(patientId);
      if (!steps) {
        steps = new Map(store.followUps.events(patientId).map((e) => [e.id, e]));
        stepsOf.set(patientId, steps);
      }
      const step = steps.get(d.eventId);
      const where = `follow-up step ${d.eventId} of patient_id ${patientId} (event seq ${event.seq})`;
      if (!step) add(event.seq, `${where} is missing from the follow-up table`);
      else if (sha256(step.note) !== d.noteSha256) add(event.seq, `${where}: its note was changed afterwards`);
      else if (step.status !== d.to || step.actor !== event.actor)
        add(event.seq, `${where}: its status or author no longer match the event`);
    } else if (
      event.action === 'follow-up.result-recorded' &&
      typeof d.resultId === 'number' &&
      typeof d.resultSha256 === 'string'
    ) {
      let results = resultsOf.get(patientId);
      if (!results) {
        results = new Map(store.followUps.results(patientId).map((r) => [r.id, r]));
        resultsOf.set(patientId, results);
      }
      const r = results.get(d.resultId);
      const where = `follow-up result ${d.resultId} of patient_id ${patientId} (event seq ${event.seq})`;
      if (!r) add(event.seq, `${where} is missing from the results table`);
      else if (resultSha256(r) !== d.resultSha256)
        add(event.seq, `${where}: its value, date or outcome changed afterwards`);
    }
  }
}

/** The digest a `follow-up.result-recorded` event carries: the result's test, value, unit, date, outcome and rule. */
export function resultSha256(r: {
  test: string;
  value: number;
  unit: string;
  testDate: string;
  outcome: number;
  rule: string;
}): string {
  return sha256(JSON.stringify([r.test, r.value, r.unit, r.testDate, r.outcome, r.rule]));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
