import type { AuditLog } from '../store/audit-log';
import type { UserRecord, UserRole, UserStore } from '../store/user-repository';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, type ScryptParams, verifyPassword } from './password-hash';

/**
 * Local accounts: first-run admin creation, sign-in with back-off and lockout, and the admin's account changes
 * (create, disable, reset password, change role, unlock). Every outcome that matters goes into the audit log.
 * Expected failures are values.
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
  /** Lower for tests only; production hashes with DEFAULT_SCRYPT_PARAMS. */
  scrypt?: ScryptParams;
  /** Epoch ms; injected so tests can step over the back-off. */
  now?: () => number;
}

/** Failed sign-ins in a row after which the username is locked out. */
export const MAX_SIGN_IN_FAILURES = 5;
/**
 * How long a lockout lasts unless an admin lifts it sooner. It is not permanent so that someone guessing at the only
 * admin's name cannot shut every admin out of the app for good.
 */
export const LOCKOUT_MS = 15 * 60_000;

/** The wait after the count-th failure before the next attempt is even checked: 1 s, 2 s, 4 s, 8 s. */
export function backOffMs(failures: number): number {
  return failures <= 0 ? 0 : 1000 * 2 ** (failures - 1);
}

const clock = (deps: AccountDeps) => (deps.now ?? Date.now)();
const targetParams = (deps: AccountDeps) => deps.scrypt ?? DEFAULT_SCRYPT_PARAMS;

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
  const password = await hashPassword(input.password, targetParams(deps));
  const user = deps.users.create({ username: input.username, role: input.role, password, createdBy });
  deps.audit.append({ actor: createdBy, action: 'user.created', subject: user.username, details: { role: user.role } });
  return { ok: true, value: user };
}

const LOCKED_OUT_MESSAGE =
  'Too many failed sign-ins: this account is locked for 15 minutes. An administrator can unlock it sooner.';

/**
 * Checks a password; the same message for an unknown user and a wrong password. Failures are counted per username:
 * after each one the next attempt waits (back-off), and after MAX_SIGN_IN_FAILURES the username is locked out.
 * Attempts refused by the back-off or the lockout check no password, so they neither count nor reach the audit log
 * (a script hammering the form would otherwise flood it); the failures and the lockout itself are audited.
 */
export async function signIn(deps: AccountDeps, username: string, password: string): Promise<AuthResult<UserRecord>> {
  const now = clock(deps);
  let failures = deps.users.failuresOf(username);
  if (failures?.lockedUntil != null) {
    if (now < failures.lockedUntil) return { ok: false, code: 'bad-credentials', message: LOCKED_OUT_MESSAGE };
    deps.users.clearFailures(username);
    failures = null;
  }
  if (failures) {
    const wait = failures.lastFailureAt + backOffMs(failures.count) - now;
    if (wait > 0) {
      return {
        ok: false,
        code: 'bad-credentials',
        message: `Too many failed sign-ins. Try again in ${Math.ceil(wait / 1000)} s.`,
      };
    }
  }

  const user = deps.users.get(username);
  const stored = user ? deps.users.passwordOf(username) : null;
  let valid: boolean;
  if (stored && user && !user.disabled) {
    valid = await verifyPassword(password, stored);
  } else {
    dummyHash ??= hashPassword(`unused-${Math.random()}`, targetParams(deps));
    await verifyPassword(password, await dummyHash);
    valid = false;
  }
  if (!valid || !user || !stored) {
    const count = (failures?.count ?? 0) + 1;
    const lockedUntil = count >= MAX_SIGN_IN_FAILURES ? now + LOCKOUT_MS : null;
    deps.users.recordFailure(username, now, lockedUntil);
    // The attempted username is recorded (it is not patient data); the password never is.
    deps.audit.append({
      actor: username,
      action: 'auth.sign-in-failed',
      subject: username,
      details: { failures: count },
    });
    if (lockedUntil !== null) {
      deps.audit.append({
        actor: username,
        action: 'auth.locked-out',
        subject: username,
        details: { failures: count, until: new Date(lockedUntil).toISOString() },
      });
      return { ok: false, code: 'bad-credentials', message: LOCKED_OUT_MESSAGE };
    }
    return { ok: false, code: 'bad-credentials', message: 'wrong username or password' };
  }
  deps.users.clearFailures(username);
  const target = targetParams(deps);
  if (needsRehash(stored, target)) {
    // The password is at hand only now, so this is when a hash made with older, cheaper parameters is replaced.
    deps.users.setPassword(user.username, await hashPassword(password, target));
    deps.audit.append({
      actor: user.username,
      action: 'auth.hash-upgraded',
      subject: user.username,
      details: { before: costOf(stored), after: costOf(target) },
    });
  }
  deps.audit.append({ actor: user.username, action: 'auth.signed-in', subject: user.username });
  return { ok: true, value: user };
}

function costOf(p: ScryptParams): ScryptParams {
  return { n: p.n, r: p.r, p: p.p, keyLength: p.keyLength };
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

/** What an admin change is audited with, before and after: never the password or its hash. */
export interface AccountState {
  role: UserRole;
  disabled: boolean;
  lockedOut: boolean;
}

export function accountState(deps: AccountDeps, user: UserRecord): AccountState {
  const lockedUntil = deps.users.failuresOf(user.username)?.lockedUntil ?? null;
  return { role: user.role, disabled: user.disabled, lockedOut: lockedUntil !== null && clock(deps) < lockedUntil };
}

export type AccountChange =
  | { kind: 'disable'; disabled: boolean }
  | { kind: 'role'; role: UserRole }
  | { kind: 'reset-password'; password: string }
  | { kind: 'unlock' };

const CHANGE_ACTION: Record<AccountChange['kind'], string> = {
  disable: 'user.disabled-changed',
  role: 'user.role-changed',
  'reset-password': 'user.password-reset',
  unlock: 'user.unlocked',
};

/**
 * An admin changes another account (or their own). The last enabled admin can be neither disabled nor demoted,
 * so the app always keeps someone who can manage it. Audited with the account's state before and after.
 */
export async function changeAccount(
  deps: AccountDeps,
  actor: UserRecord,
  username: string,
  change: AccountChange,
): Promise<AuthResult<UserRecord>> {
  const allowed = authorize(actor, 'admin');
  if (!allowed.ok) return allowed;
  const target = deps.users.get(username);
  if (!target) return { ok: false, code: 'invalid-argument', message: `there is no user "${username}"` };
  const losesAdmin =
    target.role === 'admin' &&
    !target.disabled &&
    ((change.kind === 'disable' && change.disabled) || (change.kind === 'role' && change.role !== 'admin'));
  if (losesAdmin && deps.users.list().filter((u) => u.role === 'admin' && !u.disabled).length <= 1) {
    return { ok: false, code: 'conflict', message: 'the last active administrator cannot be disabled or demoted' };
  }
  if (change.kind === 'reset-password' && change.password.length < MIN_PASSWORD_LENGTH) {
    return {
      ok: false,
      code: 'invalid-argument',
      message: `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
    };
  }

  const before = accountState(deps, target);
  if (change.kind === 'disable') deps.users.setDisabled(target.username, change.disabled);
  if (change.kind === 'role') deps.users.setRole(target.username, change.role);
  if (change.kind === 'reset-password') {
    deps.users.setPassword(target.username, await hashPassword(change.password, targetParams(deps)));
  }
  // A new password or an explicit unlock both end a lockout.
  if (change.kind === 'reset-password' || change.kind === 'unlock') deps.users.clearFailures(target.username);
  const updated = deps.users.get(target.username) as UserRecord;
  deps.audit.append({
    actor: actor.username,
    action: CHANGE_ACTION[change.kind],
    subject: target.username,
    details: { before, after: accountState(deps, updated) },
  });
  return { ok: true, value: updated };
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
