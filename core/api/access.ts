import type { Role } from './outputs';

/**
 * Who may call a method, as data in the contract, so that main, the app's dispatch and the UI read the same rule.
 * - public: anyone, signed in or not (first-run status, sign-in).
 * - session: any signed-in user, even while the session is locked (unlock, sign-out).
 * - clinician: a signed-in, unlocked user of either role (admins can do everything clinicians can).
 * - admin: a signed-in, unlocked admin.
 */
const ACCESS_LEVELS = ['public', 'session', 'clinician', 'admin'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** What the access check needs to know about the caller. */
export interface SessionView {
  role: Role;
  locked: boolean;
}

type AccessDenial = 'unauthenticated' | 'locked' | 'forbidden';
type AccessDecision = { allowed: true } | { allowed: false; code: AccessDenial };

/** What a refused caller is told, the same from main's IPC check and from the app's dispatch. */
export const ACCESS_DENIED_MESSAGES: Record<AccessDenial, string> = {
  unauthenticated: 'Sign in first.',
  locked: 'The app is locked. Unlock it with your password.',
  forbidden: 'This action needs the administrator role.',
};

export function checkAccess(access: Access, session: SessionView | null): AccessDecision {
  if (access === 'public') return { allowed: true };
  if (!session) return { allowed: false, code: 'unauthenticated' };
  if (access === 'session') return { allowed: true };
  if (session.locked) return { allowed: false, code: 'locked' };
  if (access === 'admin' && session.role !== 'admin') return { allowed: false, code: 'forbidden' };
  return { allowed: true };
}
