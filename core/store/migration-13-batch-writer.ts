import type { Migration } from './migration';

export const MIGRATION_13_BATCH_WRITER: Migration = {
  version: 13,
  name: "a batch being written ('running') names the process writing it, so that crash recovery knows its own",
  // A batch's rows go into their final tables while it is 'running', in small transactions that no reader sees.
  // Recovery removes a 'running' batch only when the process that writes it is gone: host name and process id,
  // cleared when the batch commits.
  sql: 'ALTER TABLE batches ADD COLUMN writer TEXT;',
};
