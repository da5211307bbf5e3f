import type { Migration } from './migration';

export const MIGRATION_10_FOLLOW_UP: Migration = {
  version: 10,
  name: 'follow-up: status events, test results and assignments per patient_id',
  // Follow-up is of a patient, across batches: keyed by patient_id, each event naming the screening it was recorded
  // on. Events and results are appended, never updated; the current status is the newest event.
  sql: `
CREATE TABLE follow_up_events (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  batch_id INTEGER REFERENCES batches(id) ON DELETE SET NULL,
  row_index INTEGER,
  status TEXT NOT NULL CHECK (status IN
    ('reviewed', 'contacted', 'test-ordered', 'result-recorded', 'declined', 'unreachable')),
  note TEXT NOT NULL DEFAULT '',
  correction INTEGER NOT NULL DEFAULT 0 CHECK (correction IN (0, 1)),
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX follow_up_events_by_patient ON follow_up_events(patient_id, id);

CREATE TABLE follow_up_results (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL UNIQUE REFERENCES follow_up_events(id),
  patient_id TEXT NOT NULL,
  test TEXT NOT NULL CHECK (test IN ('hba1c', 'fpg', 'ogtt')),
  value REAL NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('%', 'mmol/mol', 'mg/dL', 'mmol/L')),
  test_date TEXT NOT NULL,
  outcome INTEGER NOT NULL CHECK (outcome IN (0, 1)),
  rule TEXT NOT NULL,
  -- The source_sha256 of the label this result was stored as (labels.source_sha256).
  label_source_sha256 TEXT NOT NULL
);
CREATE INDEX follow_up_results_by_patient ON follow_up_results(patient_id, id);

CREATE TABLE follow_up_assignments (
  patient_id TEXT PRIMARY KEY,
  assignee TEXT NOT NULL COLLATE NOCASE,
  assigned_by TEXT NOT NULL,
  assigned_at TEXT NOT NULL
);
CREATE INDEX follow_up_assignments_by_assignee ON follow_up_assignments(assignee);
`,
};
