import type { FollowUpStatus } from '../api/follow-up-types';

/**
 * Closed: nothing is expected from the clinic any more (they are never overdue). A module of its own, without the
 * API's zod schemas, so that the store (and the store writer thread, which loads it) does not load zod.
 */
export const CLOSED_STATUSES: readonly FollowUpStatus[] = ['result-recorded', 'declined', 'unreachable'];
