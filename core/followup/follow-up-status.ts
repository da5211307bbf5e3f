/**
 * The follow-up of a screened patient as a state machine. A patient with no recorded step is `to-review`; each step
 * a clinician records moves them on, and only the moves listed here are allowed, so the history always reads as a
 * plausible clinical sequence.
 */
import {
  FOLLOW_UP_STATUS_LABELS,
  type FollowUpStatus,
  MANUAL_STATUSES,
  type ManualStatus,
} from '../api/follow-up-types';

export { FOLLOW_UP_STATUS_LABELS, FOLLOW_UP_STATUSES, type FollowUpStatus } from '../api/follow-up-types';

export { CLOSED_STATUSES } from './closed-statuses';

/**
 * The moves from each status. A repeated step (another contact attempt, another review note) is allowed where it
 * happens in practice. `result-recorded` is reached only by recording a result, and left only by a correction.
 */
const MOVES: Record<FollowUpStatus, readonly FollowUpStatus[]> = {
  'to-review': ['reviewed', 'contacted', 'declined', 'unreachable'],
  reviewed: ['reviewed', 'contacted', 'test-ordered', 'result-recorded', 'declined', 'unreachable'],
  contacted: ['contacted', 'test-ordered', 'result-recorded', 'declined', 'unreachable'],
  'test-ordered': ['contacted', 'result-recorded', 'declined', 'unreachable'],
  'result-recorded': [],
  // Reopening: the patient calls back or agrees after all.
  declined: ['contacted', 'test-ordered'],
  unreachable: ['contacted', 'test-ordered'],
};

export interface TransitionRequest {
  from: FollowUpStatus;
  to: FollowUpStatus;
  note: string;
  /** A correction of a recorded result: the one way out of `result-recorded`. */
  correction?: boolean;
}

export type TransitionCheck = { ok: true } | { ok: false; rule: string };

export function checkTransition({ from, to, note, correction = false }: TransitionRequest): TransitionCheck {
  const label = (s: FollowUpStatus) => `“${FOLLOW_UP_STATUS_LABELS[s]}”`;
  if (to === 'to-review')
    return { ok: false, rule: `${label('to-review')} is where follow-up starts; no step leads back to it` };
  if (correction) {
    if (from !== 'result-recorded' || to !== 'result-recorded')
      return { ok: false, rule: 'only a recorded result can be corrected, by recording the corrected result' };
    if (note.trim() === '') return { ok: false, rule: 'a correction needs a note saying why' };
    return { ok: true };
  }
  if (from === 'result-recorded')
    return { ok: false, rule: `${label(from)} is final; a wrong result is changed by a correction with a note` };
  if (!MOVES[from].includes(to)) return { ok: false, rule: `${label(from)} cannot move to ${label(to)}` };
  if ((from === 'declined' || from === 'unreachable') && note.trim() === '')
    return { ok: false, rule: `reopening a patient who was ${label(from)} needs a note saying why` };
  return { ok: true };
}

/** The statuses a clinician can pick by hand from `from` (results are recorded through their own form). */
export function manualMovesFrom(from: FollowUpStatus): ManualStatus[] {
  return MOVES[from].filter((s): s is ManualStatus => (MANUAL_STATUSES as readonly string[]).includes(s));
}
