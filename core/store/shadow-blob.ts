import type { RiskCategory } from '../api/outputs';
import type { ShadowScores } from './batch-repository';
import { categoryCode, categoryOf } from './risk-category-code';
import { StoreError } from './store-error';

/**
 * A chunk of shadow rows as stored in shadow_scores: the scores as float64 in little-endian byte order (the order of
 * every platform the app ships on), one category code and one recommendation byte per row.
 */
export interface ShadowBlobs {
  scores: Buffer;
  categories: Buffer;
  recommendations: Buffer;
}

export function encodeShadowBlobs(shadow: ShadowScores, count: number): ShadowBlobs {
  const scores = new Float64Array(count);
  const categories = new Uint8Array(count);
  const recommendations = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    scores[i] = shadow.scores[i];
    categories[i] = categoryCode(shadow.categories[i]);
    recommendations[i] = shadow.recommendations[i] ? 1 : 0;
  }
  return {
    scores: Buffer.from(scores.buffer),
    categories: Buffer.from(categories.buffer),
    recommendations: Buffer.from(recommendations.buffer),
  };
}

export interface DecodedShadowRows {
  scores: Float64Array;
  categories: RiskCategory[];
  recommendations: Uint8Array;
}

/** Decodes one stored chunk; a blob of the wrong size or with an unknown code is a StoreError, never a guess. */
export function decodeShadowBlobs(blobs: ShadowBlobs, count: number, where: string): DecodedShadowRows {
  if (
    blobs.scores.length !== 8 * count ||
    blobs.categories.length !== count ||
    blobs.recommendations.length !== count
  ) {
    throw new StoreError('invalid', `shadow scores of ${where} do not hold ${count} rows`);
  }
  // Copied into fresh buffers: a blob's bytes need not be 8-byte aligned.
  const scores = new Float64Array(count);
  new Uint8Array(scores.buffer).set(blobs.scores);
  const recommendations = Uint8Array.from(blobs.recommendations);
  if (recommendations.some((r) => r > 1))
    throw new StoreError('invalid', `shadow recommendations of ${where} are not 0 or 1`);
  return { scores, categories: Array.from(blobs.categories, categoryOf), recommendations };
}
