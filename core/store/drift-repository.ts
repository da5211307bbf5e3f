/** One drift verdict and report per batch. */
export interface DriftRecord {
  batchId: number;
  computedAt: string;
  datasetDrift: boolean;
  driftedCount: number;
  report: unknown;
}
export interface DriftStore {
  save(batchId: number, verdict: { datasetDrift: boolean; driftedCount: number }, report: unknown): void;
  get(batchId: number): DriftRecord | null;
  /** Newest batch first. */
  list(limit?: number): DriftRecord[];
}
