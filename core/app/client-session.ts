import type { SessionView } from '../api/access';
import type { SessionInfo } from '../api/outputs';
import type { UserRecord } from '../store/user-repository';

/**
 * One client's sign-in state, held in main (one per window in Electron; one per local HTTP host). The renderer only
 * ever sees a SessionInfo copy; what counts is this object.
 */
export class ClientSession {
  user: UserRecord | null = null;
  locked = false;
  lastActivity: number;

  constructor(
    private readonly now: () => number,
    readonly autoLockMinutes: number,
  ) {
    this.lastActivity = now();
  }

  signIn(user: UserRecord): void {
    this.user = user;
    this.locked = false;
    this.touch();
  }

  signOut(): void {
    this.user = null;
    this.locked = false;
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  /** True when the session has been idle past the auto-lock time and is not yet locked. */
  idleExpired(): boolean {
    return (
      this.user !== null &&
      !this.locked &&
      this.autoLockMinutes > 0 &&
      this.now() - this.lastActivity >= this.autoLockMinutes * 60_000
    );
  }

  view(): SessionView | null {
    return this.user ? { role: this.user.role, locked: this.locked } : null;
  }

  info(): SessionInfo | null {
    if (!this.user) return null;
    return {
      username: this.user.username,
      role: this.user.role,
      locked: this.locked,
      autoLockMinutes: this.autoLockMinutes,
    };
  }
}
