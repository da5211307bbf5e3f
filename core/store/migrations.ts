import type { Migration } from './migration';
import { MIGRATION_1_INITIAL_SCHEMA } from './migration-1-initial-schema';
import { MIGRATION_2_LEAN_PREDICTIONS } from './migration-2-lean-predictions';
import { MIGRATION_3_AUDIT_KEY_ID } from './migration-3-audit-key-id';
import { MIGRATION_4_SIGN_IN_FAILURES } from './migration-4-sign-in-failures';
import { MIGRATION_5_BATCH_UNITS_AND_HELD } from './migration-5-batch-units-and-held';
import { MIGRATION_6_BATCH_MEMORY } from './migration-6-batch-memory';
import { MIGRATION_12_API_CLIENTS } from './migration-12-api-clients';

/** Every migration, oldest first; the last one's version is the schema this app writes. */
export const MIGRATIONS: readonly Migration[] = [
  MIGRATION_1_INITIAL_SCHEMA,
  MIGRATION_2_LEAN_PREDICTIONS,
  MIGRATION_3_AUDIT_KEY_ID,
  MIGRATION_4_SIGN_IN_FAILURES,
  MIGRATION_5_BATCH_UNITS_AND_HELD,
  MIGRATION_6_BATCH_MEMORY,
  MIGRATION_12_API_CLIENTS,
];
