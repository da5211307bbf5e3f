import type { AuditLog } from '../store/audit-log';
import type { UserRecord, UserRole, UserStore } from '../store/user-repository';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, type ScryptParams, verifyPassword } from './password-hash';

/**
 * Local accounts: first-run admin creation, sign-in, user creation by an admin. Every outcome that matters
 * (sign-in, failed sign-in, account created) goes into the audit log. Expected failures are values.
 */

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;
export const MIN_PASSWORD_LENGTH = 10;

export type AuthFailure =
  | { ok: false; code: 'conflict'; message: string }
  | { ok: false; code: 'invalid-argument'; message: string }
  | { ok: false; code: 'bad-credentials'; message: string }
  | { ok: false; code: 'forbidden'; message: string };
export type AuthResult<T> = { ok: true; value: T } | AuthFailure;

export interface AccountDeps {
  users: UserStore;
  audit: AuditLog;
  /** Lower for tests only. */
  scrypt?: ScryptParams;
}

/** A hash of a random password, compared against when the username is unknown, so both paths take as long. */
let dummyHash: Promise<Awaited<ReturnType<typeof hashPassword>>> | null = null;

function checkNew(username: string, password: string): AuthFailure | null {
  if (!USERNAME_PATTERN.test(username)) {
    return { ok: false, code: 'invalid-argument', message: 'username must be 3-32 letters, digits, dot, _ or -' };
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    return {
      ok: false,
      code: 'invalid-argument',
      message: `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
    };
  }
  return null;
}

export function needsFirstRun(deps: AccountDeps): boolean {
  return deps.users.list().every((u) => u.role !== 'admin');
}

/** Creates the first admin; refused once any admin exists. */
export async function createFirstAdmin(
  deps: AccountDeps,
  username: string,
  password: string,
): Promise<AuthResult<UserRecord>> {
  if (!needsFirstRun(deps)) return { ok: false, code: 'conflict', message: 'an administrator already exists' };
  return createAccount(deps, { username, password, role: 'admin' }, 'first-run');
}

/** An admin creates an account. `actor` must be an enabled admin. */
export async function createUser(
  deps: AccountDeps,
  actor: UserRecord,
  input: { username: string; password: string; role: UserRole },
): Promise<AuthResult<UserRecord>> {
  const allowed = authorize(actor, 'admin');
  if (!allowed.ok) return allowed;
  return createAccount(deps, input, actor.username);
}

async function createAccount(
  deps: AccountDeps,
  input: { username: string; password: string; role: UserRole },
  createdBy: string,
): Promise<AuthResult<UserRecord>> {
  const problem = checkNew(input.username, input.password);
  if (problem) return problem;
  if (deps.users.get(input.username)) {
    return { ok: false, code: 'conflict', message: `the username "${input.username}" is taken` };
  }
  const password = await hashPassword(input.password, deps.scrypt ?? DEFAULT_SCRYPT_PARAMS);
  const user = deps.users.create({ username: input.username, role: input.role, password, createdBy });
  deps.audit.append({ actor: createdBy, action: 'user.created', subject: user.username, details: { role: user.role } });
  return { ok: true, value: user };
}

/** Checks a password; the same message for an unknown user and a wrong password. */
export async function signIn(deps: AccountDeps, username: string, password: string): Promise<AuthResult<UserRecord>> {
  const user = deps.users.get(username);
  const stored = user ? deps.users.passwordOf(username) : null;
  let valid: boolean;
  if (stored && user && !user.disabled) {
    valid = await verifyPassword(password, stored);
  } else {
    dummyHash ??= hashPassword(`unused-${Math.random()}`, deps.scrypt ?? DEFAULT_SCRYPT_PARAMS);
    await verifyPassword(password, await dummyHash);
    valid = false;
  }
  if (!valid || !user) {
    // The attempted username is recorded (it is not patient data); the password never is.
    deps.audit.append({ actor: username, action: 'auth.sign-in-failed', subject: username });
    return { ok: false, code: 'bad-credentials', message: 'wrong username or password' };
  }
  deps.audit.append({ actor: user.username, action: 'auth.signed-in', subject: user.username });
  return { ok: true, value: user };
}

/** Re-checks the password of a signed-in user (unlock after inactivity). */
export async function confirmPassword(deps: AccountDeps, user: UserRecord, password: string): Promise<boolean> {
  const stored = deps.users.passwordOf(user.username);
  const valid = stored !== null && (await verifyPassword(password, stored));
  deps.audit.append({
    actor: user.username,
    action: valid ? 'auth.unlocked' : 'auth.unlock-failed',
    subject: user.username,
  });
  return valid;
}

const RANK: Record<UserRole, number> = { clinician: 1, admin: 2 };

/**
 * The authorisation check the service layer calls before every action: admins may do everything clinicians may;
 * a disabled account may do nothing.
 */
export function authorize(
  user: Pick<UserRecord, 'username' | 'role' | 'disabled'> | null,
  required: UserRole,
): { ok: true } | Extract<AuthFailure, { code: 'forbidden' }> {
  if (!user || user.disabled) return { ok: false, code: 'forbidden', message: 'sign in first' };
  if (RANK[user.role] < RANK[required]) {
    return { ok: false, code: 'forbidden', message: `this action needs the ${required} role` };
  }
  return { ok: true };
}
