/**
 * The Models view's registry operations beyond listing, promote and rollback: the promotion gates shown before
 * confirming, the two-person rule's approve and reject, archive, and a bundle's export and import as one file.
 */
import { z } from 'zod';
import type { GateResultDto, ModelList } from './admin-outputs';
import { ImportLabelsInput, ModelId, ModelRef } from './inputs';
import { method } from './method-spec';

/** A bundle export is a few MB of JSON; the cap keeps a stray file from exhausting memory. */
const MAX_MODEL_EXPORT_CHARS = 50 * 1024 * 1024;

const RequestId = z.number().int().min(1);

export const ApprovePromotionInput = z.strictObject({ requestId: RequestId, confirmed: z.literal(true) });
export const RejectPromotionInput = z.strictObject({
  requestId: RequestId,
  note: z.string().trim().max(2000).default(''),
});
export const ArchiveModelInput = z.strictObject({ modelId: ModelId, confirmed: z.literal(true) });
export const ImportModelInput = z.strictObject({
  fileName: ImportLabelsInput.shape.fileName,
  content: z.string().max(MAX_MODEL_EXPORT_CHARS, 'file is larger than 50 MB'),
});

export interface PromotionPreview {
  modelId: string;
  version: string;
  productionVersion: string | null;
  results: GateResultDto[];
  /** Some gate failed: promote needs a reason (needsReason) or is impossible. */
  blocked: boolean;
  needsReason: boolean;
  minReasonLength: number;
  /** The promotion will wait for another admin's approval. */
  requireSecondApprover: boolean;
}

export interface ModelExportFile {
  fileName: string;
  mimeType: 'application/json';
  content: string;
  version: string;
}

export const modelRegistryMethods = {
  /** The gates a promotion of this version would meet now, with their figures; changes nothing. */
  promotionGates: method(ModelRef, 'admin').returns<PromotionPreview>(),
  /** Another admin's approval of a pending promotion, which then happens; audited. */
  approvePromotion: method(ApprovePromotionInput, 'admin').returns<ModelList>(),
  rejectPromotion: method(RejectPromotionInput, 'admin').returns<ModelList>(),
  /** Moves an experiment to the archive; audited. */
  archiveModel: method(ArchiveModelInput, 'admin').returns<ModelList>(),
  /** The bundle as one JSON file with a sha256 manifest; audited. */
  exportModel: method(ModelRef, 'admin').returns<ModelExportFile>(),
  /** Installs an exported bundle under experiments/ when every hash matches; audited, refusals too. */
  importModel: method(ImportModelInput, 'admin').returns<ModelList>(),
} as const;
