/** The clients of the local scoring API: who may call it, by the hash of their key. */
export interface ApiClientRecord {
  id: number;
  name: string;
  /** Public part of the key, shown in lists so that an admin can tell keys apart. */
  keyPrefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface ApiClientStore {
  /** Throws StoreError 'conflict' when the name is taken. */
  create(input: { name: string; keyPrefix: string; keySha256: string; createdBy: string }): ApiClientRecord;
  list(): ApiClientRecord[];
  get(name: string): ApiClientRecord | null;
  /** The client and its stored key hash, by the key's public prefix. */
  byPrefix(prefix: string): { client: ApiClientRecord; keySha256: string } | null;
  /** Throws StoreError 'not-found'; revoking twice keeps the first revocation. */
  revoke(name: string, by: string): ApiClientRecord;
  markUsed(id: number): void;
}
