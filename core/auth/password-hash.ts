import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptHash } from '../store/user-repository';

/**
 * scrypt password hashing (node:crypto). The parameters are stored with every hash, so they can be raised
 * later without breaking existing accounts. N = 2^15, r = 8 (OWASP's scrypt floor is N = 2^17 with p = 1 for
 * servers; a desktop sign-in on a 2-core clinic PC keeps ~0.1 s per attempt, and the app locks out nothing
 * remotely: the database is local).
 */
export interface ScryptParams {
  n: number;
  r: number;
  p: number;
  keyLength: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { n: 1 << 15, r: 8, p: 1, keyLength: 64 };
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; give it twice that so the defaults never hit Node's 32 MiB maxmem.
  const maxmem = 256 * params.n * params.r + 1024 * 1024;
  return new Promise((resolvePromise, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      params.keyLength,
      { N: params.n, r: params.r, p: params.p, maxmem },
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
  if (expected.length !== stored.keyLength) return false;
  const key = await derive(password, Buffer.from(stored.salt, 'hex'), stored);
  return timingSafeEqual(key, expected);
}
