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

/**
 * The current shadow, the history, and the comparison of `version` (default: the current shadow's, else the most
 * recently assigned version that has scores).
 */
export function shadowStatus(store: Pick<Store, 'shadow'>, version?: string): ShadowStatus {
  const history = store.shadow.history();
  const scored = new Set(store.shadow.batches().map((b) => b.modelVersion));
  const comparedVersions = [...new Set(history.map((a) => a.modelVersion))].filter((v) => scored.has(v));
  const current = store.shadow.current();
  const chosen = version ?? (current && scored.has(current.modelVersion) ? current.modelVersion : comparedVersions[0]);
  return {
    current,
    history,
    comparedVersions,
    comparison: chosen && scored.has(chosen) ? shadowComparisonFor(store, chosen) : null,
  };
}
