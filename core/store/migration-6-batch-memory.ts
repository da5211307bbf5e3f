import type { Migration } from './migration';

export const MIGRATION_6_BATCH_MEMORY: Migration = {
  version: 6,
  name: "each batch's own peak memory (resident set above its start)",
  // peak_rss_bytes is the process's high-water mark, the same for every batch after a large one; this column is
  // the batch's own. Batches stored before it stay NULL: their own peak was never measured.
  sql: 'ALTER TABLE batches ADD COLUMN batch_memory_bytes INTEGER;',
};
