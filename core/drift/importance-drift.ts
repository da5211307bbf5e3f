import type { FeatureDrift, ImportanceDrift } from './drift-report';

export interface FeatureImportance {
  feature: string;
  meanAbsShap: number;
}

export interface ImportanceRule {
  /** The features ranked this high by mean |SHAP| count as important... */
  topN: number;
  /** ...and so does any feature carrying at least this share of the model's total mean |SHAP|. */
  minShare: number;
}

export const DEFAULT_IMPORTANCE_RULE: ImportanceRule = { topN: 3, minShare: 0.25 };

/**
 * The importance-aware verdict: drift in any important feature is enough on its own. Features the model's
 * importance list does not name are never important; an empty or all-zero list gives no important features.
 */
export function importanceDrift(
  features: readonly Pick<FeatureDrift, 'feature' | 'drifted'>[],
  importance: readonly FeatureImportance[],
  rule: ImportanceRule = DEFAULT_IMPORTANCE_RULE,
): ImportanceDrift {
  const tested = new Map(features.map((f) => [f.feature, f.drifted]));
  const ranked = importance
    .filter((f) => tested.has(f.feature) && Number.isFinite(f.meanAbsShap) && f.meanAbsShap > 0)
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap);
  const total = ranked.reduce((sum, f) => sum + f.meanAbsShap, 0);
  const important = ranked
    .map((f, index) => ({
      feature: f.feature,
      share: f.meanAbsShap / total,
      rank: index + 1,
      drifted: tested.get(f.feature) === true,
    }))
    .filter((f) => f.rank <= rule.topN || f.share >= rule.minShare);
  const driftedImportant = important.filter((f) => f.drifted).map((f) => f.feature);
  return { rule: { ...rule }, important, driftedImportant, drifted: driftedImportant.length > 0 };
}
