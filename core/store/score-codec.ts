import type { ShadowScores } from './batch-repository';
import { RISK_CATEGORY_BY_CODE } from './risk-category-code';

/** A chunk's shadow scores as the writer thread receives them (transferable arrays), and back. */
export interface EncodedScores {
  scores: Float64Array<ArrayBuffer>;
  categories: Uint8Array<ArrayBuffer>;
  recommendations: Uint8Array<ArrayBuffer>;
}

export function encodeScores(scores: ShadowScores, n: number): EncodedScores {
  return {
    scores: Float64Array.from({ length: n }, (_, i) => scores.scores[i]),
    categories: Uint8Array.from({ length: n }, (_, i) => RISK_CATEGORY_BY_CODE.indexOf(scores.categories[i])),
    recommendations: Uint8Array.from({ length: n }, (_, i) => scores.recommendations[i]),
  };
}

export function decodeScores(encoded: EncodedScores): ShadowScores {
  return {
    scores: encoded.scores,
    categories: Array.from(encoded.categories, (c) => RISK_CATEGORY_BY_CODE[c]),
    recommendations: encoded.recommendations,
  };
}
