import type { ShadowComparison, ShadowStatus } from '../api/shadow-types';
import type { Store } from '../store/store';
import { compareLabelled, compareUnlabelled } from './shadow-comparison';

/** The champion/challenger comparison of one shadow version, from the stored pairs and labels. */
export function shadowComparisonFor(store: Pick<Store, 'shadow'>, shadowVersion: string): ShadowComparison {
  const pairs = store.shadow.pairs(shadowVersion);
  const productionVersions = [
    ...new Set(store.shadow.batches(shadowVersion).map((b) => b.productionVersion ?? 'unknown')),
  ];
  return {
    shadowVersion,
    productionVersions: productionVersions.sort(),
    ...compareUnlabelled(pairs),
    labelled: compareLabelled(store.shadow.labelledPairs(shadowVersion)),
    batches: store.shadow.batches(shadowVersion).map((b) => ({
      batchId: b.batchId,
      modelVersion: b.modelVersion,
      productionVersion: b.productionVersion,
      predictionDate: b.predictionDate,
      status: b.status,
      error: b.error,
      rowCount: b.rowCount,
    })),
  };
}

/** Comparisons a process computed, each with the fingerprint of the data it was computed from. */
export interface ShadowComparisonCache {
  comparisonFor(store: Pick<Store, 'shadow'>, shadowVersion: string): ShadowComparison;
  /** Comparisons computed (not served from the cache) so far. */
  readonly computed: number;
}

/** The few most recently asked versions are kept: the view asks for one at a time. */
const CACHED_VERSIONS = 4;

/**
 * The comparison reads and decodes every shadow row of the version and its labels; a repeated request (the view
 * reopened, the page reloaded) serves the stored result while the repository's fingerprint of those inputs is
 * unchanged. Kept in this process only: a cache in the database would be one more thing to keep honest.
 */
export function createShadowComparisonCache(): ShadowComparisonCache {
  const entries = new Map<string, { store: object; key: string; comparison: ShadowComparison }>();
  let computed = 0;
  return {
    comparisonFor(store, shadowVersion) {
      const key = store.shadow.comparisonKey(shadowVersion);
      const hit = entries.get(shadowVersion);
      if (hit && hit.store === store.shadow && hit.key === key) {
        entries.delete(shadowVersion);
        entries.set(shadowVersion, hit);
        return structuredClone(hit.comparison);
      }
      const comparison = shadowComparisonFor(store, shadowVersion);
      computed++;
      entries.delete(shadowVersion);
      entries.set(shadowVersion, { store: store.shadow, key, comparison });
      if (entries.size > CACHED_VERSIONS) entries.delete(entries.keys().next().value as string);
      return structuredClone(comparison);
    },
    get computed() {
      return computed;
    },
  };
}

/**
 * The current shadow, the history, and the comparison of `version` (default: the current shadow's, else the most
 * recently assigned version that has scores), from `cache` when given.
 */
export function shadowStatus(
  store: Pick<Store, 'shadow'>,
  version?: string,
  cache?: ShadowComparisonCache,
): ShadowStatus {
  const history = store.shadow.history();
  const scored = new Set(store.shadow.batches().map((b) => b.modelVersion));
  const comparedVersions = [...new Set(history.map((a) => a.modelVersion))].filter((v) => scored.has(v));
  const current = store.shadow.current();
  const chosen = version ?? (current && scored.has(current.modelVersion) ? current.modelVersion : comparedVersions[0]);
  return {
    current,
    history,
    comparedVersions,
    comparison:
      chosen && scored.has(chosen) ? (cache?.comparisonFor(store, chosen) ?? shadowComparisonFor(store, chosen)) : null,
  };
}
