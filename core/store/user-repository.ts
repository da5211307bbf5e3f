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
}
