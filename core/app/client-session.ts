import type { SessionView } from '../api/access';
import type { SessionInfo } from '../api/outputs';
import type { UserRecord } from '../store/user-repository';
import { type LiveValue, readLive } from './live-settings';

/** Failed unlocks in a row after which the session is signed out. */
export const MAX_UNLOCK_FAILURES = 5;

/**
 * One client's sign-in state, held in main (one per window in Electron; one per local HTTP host). The renderer only
 * ever sees a SessionInfo copy; what counts is this object. It remembers who signed in, not what their account
 * allowed then: dispatch() re-reads the account before every call, so a disabled or demoted user loses access at
 * their next call.
 */
export class ClientSession {
  private account: { id: number; username: string } | null = null;
  private current: UserRecord | null = null;
  locked = false;
  unlockFailures = 0;
  lastActivity: number;

  constructor(
    private readonly now: () => number,
    /** Read at each check, so a changed setting applies to sessions already open. */
    private readonly autoLockSetting: LiveValue<number>,
  ) {
    this.lastActivity = now();
  }

  get autoLockMinutes(): number {
    return readLive(this.autoLockSetting);
  }

  /** The account as read at the start of the current call. */
  get user(): UserRecord | null {
    return this.current;
  }

  signIn(user: UserRecord): void {
    this.account = { id: user.id, username: user.username };
    this.current = user;
    this.locked = false;
    this.unlockFailures = 0;
    this.touch();
  }

  signOut(): void {
    this.account = null;
    this.current = null;
    this.locked = false;
    this.unlockFailures = 0;
  }

  /**
   * Re-reads the signed-in account. When it is gone, replaced or disabled the session is signed out and the reason
   * returned (with the username, for the audit line); otherwise null.
   */
  refresh(lookup: (username: string) => UserRecord | null): { username: string; reason: string } | null {
    if (!this.account) return null;
    const { id, username } = this.account;
    const fresh = lookup(username);
    const reason = !fresh || fresh.id !== id ? 'account-removed' : fresh.disabled ? 'account-disabled' : null;
    if (reason) {
      this.signOut();
      return { username, reason };
    }
    this.current = fresh;
    return null;
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  /** True when the session has been idle past the auto-lock time and is not yet locked. */
  idleExpired(): boolean {
    return (
      this.current !== null &&
      !this.locked &&
      this.autoLockMinutes > 0 &&
      this.now() - this.lastActivity >= this.autoLockMinutes * 60_000
    );
  }

  view(): SessionView | null {
    return this.current ? { role: this.current.role, locked: this.locked } : null;
  }

  info(): SessionInfo | null {
    if (!this.current) return null;
    return {
      username: this.current.username,
      role: this.current.role,
      locked: this.locked,
      autoLockMinutes: this.autoLockMinutes,
    };
  }
}
