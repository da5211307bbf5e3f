import type { Migration } from './migration';
import { MIGRATION_1_INITIAL_SCHEMA } from './migration-1-initial-schema';
import { MIGRATION_2_LEAN_PREDICTIONS } from './migration-2-lean-predictions';
import { MIGRATION_3_AUDIT_KEY_ID } from './migration-3-audit-key-id';
import { MIGRATION_4_SIGN_IN_FAILURES } from './migration-4-sign-in-failures';
import { MIGRATION_5_BATCH_UNITS_AND_HELD } from './migration-5-batch-units-and-held';
import { MIGRATION_6_BATCH_MEMORY } from './migration-6-batch-memory';
import { MIGRATION_7_PROMOTION_REQUESTS } from './migration-7-promotion-requests';
import { MIGRATION_8_DATASET_VERSIONS } from './migration-8-dataset-versions';
import { MIGRATION_9_SHADOW_SCORING } from './migration-9-shadow-scoring';
import { MIGRATION_10_FOLLOW_UP } from './migration-10-follow-up';
import { MIGRATION_11_SETTINGS } from './migration-11-settings';
import { MIGRATION_12_API_CLIENTS } from './migration-12-api-clients';
import { MIGRATION_13_BATCH_WRITER } from './migration-13-batch-writer';
import { MIGRATION_14_RETENTION_PURGE } from './migration-14-retention-purge';

/** Every migration, oldest first; the last one's version is the schema this app writes. */
export const MIGRATIONS: readonly Migration[] = [
  MIGRATION_1_INITIAL_SCHEMA,
  MIGRATION_2_LEAN_PREDICTIONS,
  MIGRATION_3_AUDIT_KEY_ID,
  MIGRATION_4_SIGN_IN_FAILURES,
  MIGRATION_5_BATCH_UNITS_AND_HELD,
  MIGRATION_6_BATCH_MEMORY,
  MIGRATION_7_PROMOTION_REQUESTS,
  MIGRATION_8_DATASET_VERSIONS,
  MIGRATION_9_SHADOW_SCORING,
  MIGRATION_10_FOLLOW_UP,
  MIGRATION_11_SETTINGS,
  MIGRATION_12_API_CLIENTS,
  MIGRATION_13_BATCH_WRITER,
  MIGRATION_14_RETENTION_PURGE,
];
