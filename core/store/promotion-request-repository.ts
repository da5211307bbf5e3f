/** Promotions that wait for a second admin (the two-person rule), and how each was decided. */
export type PromotionRequestStatus = 'pending' | 'approved' | 'rejected';

export interface PromotionRequestRecord {
  id: number;
  /** The registry folder, e.g. "experiments/model_20260101_120000". */
  modelId: string;
  version: string;
  /** sha256 of the bundle's metadata.json (which holds every other file's sha256) when it was requested. */
  metadataSha256: string;
  requestedBy: string;
  requestedAt: string;
  overrideReason: string | null;
  /** The gate results shown to the requester, as stored. */
  gates: unknown[];
  status: PromotionRequestStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface NewPromotionRequest {
  modelId: string;
  version: string;
  metadataSha256: string;
  requestedBy: string;
  overrideReason: string | null;
  gates: unknown[];
}

export interface PromotionRequestStore {
  /** StoreError 'conflict' when that model already has a pending request. */
  create(input: NewPromotionRequest): PromotionRequestRecord;
  get(id: number): PromotionRequestRecord | null;
  /** Oldest first. */
  listPending(): PromotionRequestRecord[];
  /** Decides a pending request; StoreError 'not-found', or 'conflict' when it was decided already. */
  decide(
    id: number,
    decision: { status: 'approved' | 'rejected'; by: string; note: string | null },
  ): PromotionRequestRecord;
}
