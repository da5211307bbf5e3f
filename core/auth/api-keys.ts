import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_CLIENT_NAME, API_CLIENT_NAME_RULE } from '../api/api-client-methods';
import type { ApiClientRecord, ApiClientStore } from '../store/api-client-repository';
import type { Store } from '../store/store';
import { StoreError } from '../store/store-error';

/**
 * Keys of the local scoring API: `gsk_<prefix>_<secret>`, where the prefix (8 random bytes, public) finds the
 * client and the secret (32 random bytes) proves it. Only the SHA-256 of the whole key is stored; a key has enough
 * entropy that a slow password hash would add nothing.
 */
const KEY_PATTERN = /^gsk_([A-Za-z0-9_-]{11})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { key: string; prefix: string; sha256: string } {
  const prefix = randomBytes(8).toString('base64url');
  const key = `gsk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, sha256: sha256Hex(key) };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The live client a presented key belongs to, or null (unknown, wrong or revoked: the caller cannot tell which). */
export function clientForKey(store: ApiClientStore, presented: string): ApiClientRecord | null {
  const match = KEY_PATTERN.exec(presented);
  // A well-formed key of no client is still hashed and compared, so that timing says nothing about prefixes.
  const found = match ? store.byPrefix(match[1]) : null;
  const expected = Buffer.from(found?.keySha256 ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(sha256Hex(presented), 'hex');
  const equal = timingSafeEqual(expected, actual);
  if (!found || !equal || found.client.revokedAt !== null) return null;
  return found.client;
}

/** Creates a client and returns its key, which is not stored and cannot be shown again; audited without the key. */
export function createApiClient(
  store: Pick<Store, 'apiClients' | 'audit' | 'transaction'>,
  name: string,
  by: string,
): { client: ApiClientRecord; key: string } {
  if (!API_CLIENT_NAME.test(name)) {
    throw new StoreError('invalid', `name: ${API_CLIENT_NAME_RULE}`);
  }
  const { key, prefix, sha256 } = newApiKey();
  return store.transaction(() => {
    const client = store.apiClients.create({ name, keyPrefix: prefix, keySha256: sha256, createdBy: by });
    store.audit.append({ actor: by, action: 'api-client.create', subject: name, details: { keyPrefix: prefix } });
    return { client, key };
  });
}

/** Revokes a client's key at once (the next call with it is refused); audited. */
export function revokeApiClient(
  store: Pick<Store, 'apiClients' | 'audit' | 'transaction'>,
  name: string,
  by: string,
): ApiClientRecord {
  return store.transaction(() => {
    const client = store.apiClients.revoke(name, by);
    store.audit.append({
      actor: by,
      action: 'api-client.revoke',
      subject: name,
      details: { keyPrefix: client.keyPrefix },
    });
    return client;
  });
}
