/**
 * Versioned training data sets: each assembled training set (original rows plus labelled production rows) is
 * snapshotted as a file named by its sha256 and recorded here once, with where its rows came from.
 */
export interface DatasetVersionInput {
  sha256: string;
  /** The snapshot's file name in the data folder's datasets/ (`<sha256>.csv`). */
  fileName: string;
  rowsTotal: number;
  /** Rows by source, e.g. { training: 768, production: 120 }. */
  rowsBySource: Record<string, number>;
  /** Labels left out and why (unmatched, conflicting), as counts. */
  excluded: Record<string, number>;
  /** Range of the production rows' label dates (prediction dates of the labelled rows), or null without any. */
  labelFrom: string | null;
  labelTo: string | null;
  createdBy: string;
}

export interface DatasetVersion extends DatasetVersionInput {
  id: number;
  createdAt: string;
}

export interface DatasetStore {
  /** Records a version, or returns the one already recorded with this sha256 (`created` false). */
  record(input: DatasetVersionInput): { version: DatasetVersion; created: boolean };
  bySha256(sha256: string): DatasetVersion | null;
  /** Newest first. */
  list(): DatasetVersion[];
}
