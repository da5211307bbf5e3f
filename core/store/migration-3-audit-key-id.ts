import type { Migration } from './migration';

export const MIGRATION_3_AUDIT_KEY_ID: Migration = {
  version: 3,
  name: 'audit links: the key id of each HMAC link (null for the plain SHA-256 links made before keys)',
  // Existing rows keep NULL: they verify the old way up to the 'audit.keyed-links-started' event.
  sql: 'ALTER TABLE audit_events ADD COLUMN key_id TEXT;',
};
