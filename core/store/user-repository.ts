import type { Role } from '../api/outputs';

/** App accounts and their scrypt password hashes. The roles are the contract's; the store keeps no list of its own. */
export type UserRole = Role;

export interface ScryptHash {
  n: number;
  r: number;
  p: number;
  keyLength: number;
  /** hex */
  salt: string;
  /** hex */
  hash: string;
}
export interface UserRecord {
  id: number;
  username: string;
  role: UserRole;
  createdAt: string;
  createdBy: string;
  disabled: boolean;
}
/** Consecutive failed sign-ins of one username (known or not), since its last success or admin unlock. */
export interface SignInFailures {
  count: number;
  /** Epoch ms of the latest failure. */
  lastFailureAt: number;
  /** Epoch ms until which sign-in is refused outright, or null. */
  lockedUntil: number | null;
}
export interface UserStore {
  create(input: { username: string; role: UserRole; password: ScryptHash; createdBy: string }): UserRecord;
  /** Case-insensitive. */
  get(username: string): UserRecord | null;
  passwordOf(username: string): ScryptHash | null;
  list(): UserRecord[];
  count(): number;
  setPassword(username: string, password: ScryptHash): boolean;
  setDisabled(username: string, disabled: boolean): boolean;
  setRole(username: string, role: UserRole): boolean;
  failuresOf(username: string): SignInFailures | null;
  /** Adds one failure at `at`; `lockedUntil` replaces the stored lock when given. Returns the new state. */
  recordFailure(username: string, at: number, lockedUntil: number | null): SignInFailures;
  /** Forgets the failures (a successful sign-in, an admin unlock, a password reset). */
  clearFailures(username: string): void;
}
