import type { Migration } from './migration';

export const MIGRATION_11_SETTINGS: Migration = {
  version: 11,
  name: 'the settings an admin changes from the app, with their version and who changed them',
  // One row: the validated JSON of the editable config sections. The version lets an update refuse to overwrite a
  // change it has not seen.
  sql: `CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    json TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );`,
};
