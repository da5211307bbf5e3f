import type { Migration } from './migration';

export const MIGRATION_14_RETENTION_PURGE: Migration = {
  version: 14,
  name: 'retention purge: purged batches, tombstoned audit events, retained weekly aggregates, pending file deletions',
  // A purged batch keeps its row (counts, drift, model version) and says when its patient rows were removed.
  // A tombstoned audit event keeps seq, action, time, actor and hash; purged_by_seq names the purge event whose
  // digest lists it, which is what lets a verifier tell a purge from an edit.
  // Weekly monitoring of a purged week can no longer be computed from patient rows: its counts, AUC, subgroup
  // recall and label-free estimate are kept here, computed just before the rows went.
  // File deletions are recorded in the purge's transaction and removed once the files are gone, so a crash between
  // the commit and the deletions is finished at the next start.
  sql: `
ALTER TABLE batches ADD COLUMN purged_at TEXT;
ALTER TABLE audit_events ADD COLUMN purged_by_seq INTEGER;
CREATE TABLE retained_weekly_performance (
  week TEXT NOT NULL,
  model_version TEXT NOT NULL,
  n INTEGER NOT NULL,
  tp INTEGER NOT NULL,
  fp INTEGER NOT NULL,
  fn INTEGER NOT NULL,
  tn INTEGER NOT NULL,
  auc REAL,
  subgroup_recall TEXT NOT NULL,
  purge_seq INTEGER NOT NULL,
  PRIMARY KEY (week, model_version)
);
CREATE TABLE retained_weekly_estimates (
  week TEXT NOT NULL,
  model_version TEXT NOT NULL,
  estimate TEXT NOT NULL,
  purge_seq INTEGER NOT NULL,
  PRIMARY KEY (week, model_version)
);
CREATE TABLE pending_file_deletions (
  path TEXT PRIMARY KEY,
  purge_seq INTEGER NOT NULL
);`,
};
