import type { AlertRecord } from '../api/monitoring-types';

/** Monitoring alerts (drift, performance), raised once each and acknowledged by an admin. */
export interface AlertInput {
  kind: string;
  /** ISO week such as '2026-W47', when the alert is about a week. */
  week?: string | null;
  modelVersion?: string | null;
  batchId?: number | null;
  message: string;
  details?: object;
}
export interface AlertStore {
  /** Idempotent per (kind, week, modelVersion, batchId): raising the same alert twice stores it once. */
  raise(alert: AlertInput): { alert: AlertRecord; created: boolean };
  /** Newest first. */
  list(): AlertRecord[];
  /** The alerts still waiting for an admin, newest first: acknowledging is the only way an alert is closed. */
  listOpen(): AlertRecord[];
  acknowledge(id: number, by: string): boolean;
}
