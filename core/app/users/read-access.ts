import type { WorklistQueryParsed } from '../../api/inputs';
import type { AppContext } from '../app-context';
import type { CallContext } from '../dispatch';

/**
 * Read access to patient data is audited once per view (a worklist page, a patient's detail, an export, a quick
 * score), not once per row: who (the actor), when (the event's time), what (the batch and the range or the one
 * patient_id). Never any other patient value.
 */
export function auditRead(
  app: AppContext,
  ctx: CallContext,
  action: `read.${string}`,
  subject: string,
  details: Record<string, unknown>,
): void {
  app.store.audit.append({ actor: app.actor(ctx).username, action, subject, details });
}

/**
 * The filters of a worklist view, enough to tell which rows it showed. The search text is typed-in patient_id
 * fragments, so only its presence is kept.
 */
export function queryShape(query: WorklistQueryParsed): Record<string, unknown> {
  return {
    sort: query.sort.map((s) => `${s.column}:${s.direction}`),
    categories: query.categories ?? null,
    recommendedOnly: query.recommendedOnly,
    borderlineOnly: query.borderlineOnly,
    reviewed: query.reviewed,
    searched: query.search !== '',
  };
}
