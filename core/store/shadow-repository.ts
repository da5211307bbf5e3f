import type { RiskCategory } from '../api/outputs';
import type { ShadowAssignmentDto } from '../api/shadow-types';

/**
 * Shadow scoring: the one candidate model (at most) that scores every batch beside production, and what it scored.
 * Only production's scores reach clinicians; the shadow's are kept here for the champion/challenger comparison.
 * An assignment names the bundle by registry id, version and model.onnx sha256, with who and when.
 */
export type ShadowAssignment = ShadowAssignmentDto;

export interface ShadowAssignmentInput {
  modelId: string;
  modelVersion: string;
  onnxSha256: string;
}

/** How the shadow fared on one batch; written in the batch's own transaction. */
export interface ShadowBatchRecord {
  batchId: number;
  assignmentId: number;
  modelVersion: string;
  status: 'scored' | 'failed';
  /** Why the shadow did not score the batch (status failed). Never patient data. */
  error: string | null;
  rowCount: number;
  productionVersion: string | null;
  predictionDate: string;
}

/** What a batch's writer needs to store the shadow's outcome with the batch. */
export interface ShadowCommit {
  assignmentId: number;
  modelVersion: string;
  status: 'scored' | 'failed';
  error: string | null;
}

export interface ScoredSide {
  score: number;
  category: RiskCategory;
  recommendation: 0 | 1;
}

/** One patient row scored by production and by the shadow. */
export interface ShadowPair {
  batchId: number;
  rowIndex: number;
  patientId: string;
  predictionDate: string;
  production: ScoredSide;
  shadow: ScoredSide;
}

/** A pair whose outcome arrived (labels matched to predictions as monitoring matches them). */
export interface LabelledShadowPair extends ShadowPair {
  outcome: 0 | 1;
}

export interface ShadowStore {
  current(): ShadowAssignment | null;
  /** Every assignment, newest first. */
  history(): ShadowAssignment[];
  /** Makes this the shadow; a current one is cleared by the same actor at the same moment. */
  assign(
    input: ShadowAssignmentInput,
    actor: string,
  ): { assignment: ShadowAssignment; previous: ShadowAssignment | null };
  /** Clears the current assignment; null when there was none. */
  clear(actor: string): ShadowAssignment | null;
  /** Batches a shadow scored (or failed to), newest first; only those of one version when given. */
  batches(modelVersion?: string): ShadowBatchRecord[];
  forBatch(batchId: number): ShadowBatchRecord | null;
  /** Every row the version scored as shadow, beside production's score of it, in batch and row order. */
  pairs(modelVersion: string): ShadowPair[];
  labelledPairs(modelVersion: string): LabelledShadowPair[];
  /**
   * A cheap fingerprint of everything the comparison of `modelVersion` is computed from (its shadow batches, their
   * production rows and the labels): equal fingerprints mean an equal comparison.
   */
  comparisonKey(modelVersion: string): string;
}
