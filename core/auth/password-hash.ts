import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptHash } from '../store/user-repository';

/**
 * scrypt password hashing (node:crypto). The parameters are stored with every hash, so they can be raised later
 * without breaking existing accounts: a hash weaker than the current parameters is replaced at the next successful
 * sign-in. N = 2^17, r = 8, p = 1 is OWASP's recommended scrypt setting.
 */
export interface ScryptParams {
  n: number;
  r: number;
  p: number;
  keyLength: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { n: 1 << 17, r: 8, p: 1, keyLength: 64 };
const SALT_BYTES = 16;
/** A stored hash asking for more than this is refused rather than allowed to exhaust memory. */
const MAX_STORED_N = 1 << 20;

/** What OpenSSL's scrypt allocates (V plus B), plus headroom; Node's 32 MiB default maxmem refuses N = 2^17. */
export function scryptMaxmem(params: Pick<ScryptParams, 'n' | 'r' | 'p'>): number {
  return 128 * params.r * (params.n + 2) + 128 * params.r * params.p + 1024 * 1024;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      params.keyLength,
      { N: params.n, r: params.r, p: params.p, maxmem: scryptMaxmem(params) },
      (error, key) => (error ? reject(error) : resolvePromise(key)),
    );
  });
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<ScryptHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return { ...params, salt: salt.toString('hex'), hash: key.toString('hex') };
}

/** Constant-time comparison of the derived key with the stored one. */
export async function verifyPassword(password: string, stored: ScryptHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'hex');
  if (expected.length !== stored.keyLength || stored.n > MAX_STORED_N) return false;
  const key = await derive(password, Buffer.from(stored.salt, 'hex'), stored);
  return timingSafeEqual(key, expected);
}

/** True when a stored hash is cheaper than `target` in any parameter and should be replaced. */
export function needsRehash(stored: ScryptHash, target: ScryptParams): boolean {
  return stored.n < target.n || stored.r < target.r || stored.p < target.p || stored.keyLength < target.keyLength;
}
