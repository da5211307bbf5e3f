import { FOLLOW_UP_STATUS_LABELS, type FollowUpStatus } from '@contract/follow-up-types';

export function statusLabel(status: FollowUpStatus): string {
  return FOLLOW_UP_STATUS_LABELS[status];
}

/** What a bulk action did, in one sentence per refusal. */
export function bulkMessage(verb: string, outcome: { changed: string[]; refused: { rule: string }[] }): string {
  const done = `${verb} ${outcome.changed.length} patient${outcome.changed.length === 1 ? '' : 's'}.`;
  return outcome.refused.length === 0 ? done : `${done} Not changed: ${outcome.refused.map((r) => r.rule).join('; ')}.`;
}

const CHANGED_EVENT = 'glucoscreen:follow-up-changed';

/** Tells the navigation's counts that a follow-up changed (an assignment, a step, a result). */
export function notifyFollowUpChanged(): void {
  window.dispatchEvent(new Event(CHANGED_EVENT));
}

export function onFollowUpChanged(listener: () => void): () => void {
  window.addEventListener(CHANGED_EVENT, listener);
  return () => window.removeEventListener(CHANGED_EVENT, listener);
}
