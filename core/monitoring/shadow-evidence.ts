import type { Store } from '../store/store';
import { sideMetrics } from './shadow-comparison';

/** What a promotion gate can ask of the shadow record: both models' realised recall on the same patients. */
export interface ShadowEvidence {
  labelledPatients: number;
  productionRecall: number;
  candidateRecall: number;
}

export type ShadowEvidenceFor = (version: string) => ShadowEvidence | null;

/**
 * `shadowEvidenceFor(version)` over the store: null when the version never scored in shadow, or none of the
 * patients it scored has a label with outcome 1 yet (recall is undefined without a positive).
 */
export function createShadowEvidenceFor(store: Pick<Store, 'shadow'>): ShadowEvidenceFor {
  return (version) => {
    const labelled = store.shadow.labelledPairs(version);
    const production = sideMetrics(labelled.map((p) => ({ outcome: p.outcome, side: p.production })));
    const candidate = sideMetrics(labelled.map((p) => ({ outcome: p.outcome, side: p.shadow })));
    if (production.recall === null || candidate.recall === null) return null;
    return {
      labelledPatients: labelled.length,
      productionRecall: production.recall,
      candidateRecall: candidate.recall,
    };
  };
}
