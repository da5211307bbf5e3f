import type { Migration } from './migration';

export const MIGRATION_7_PROMOTION_REQUESTS: Migration = {
  version: 7,
  name: 'promotion requests waiting for a second admin',
  // metadata_sha256 pins the exact bundle that was requested, so an approval never promotes a bundle changed since.
  // One pending request per model folder at a time.
  sql: `CREATE TABLE promotion_requests (
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    version TEXT NOT NULL,
    metadata_sha256 TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    override_reason TEXT,
    gates TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT
  );
  CREATE UNIQUE INDEX promotion_requests_one_pending ON promotion_requests (model_id) WHERE status = 'pending';`,
};
