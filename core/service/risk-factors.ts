import type { RiskFactor } from '../api/outputs';
import { prepareTreeShap } from '../explain/tree-shap';
import type { TreeEnsemble } from '../model/tree';
import { type PreprocessParams, transformFeatures } from '../preprocess/pipeline';
import {
  AGE_GROUP_LABELS,
  BMI_CATEGORY_LABELS,
  FEATURE_COLUMNS,
  FEATURE_UNITS,
  type FeatureName,
} from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';

/** How many factors the detail view lists. */
export const TOP_FACTORS = 4;

/**
 * Top contributing factors of one patient: exact TreeSHAP on the model's own trees (raw margins), over the 11
 * model inputs the patient's values become, largest absolute contribution first.
 */
export function createFactorExplainer(
  ensemble: TreeEnsemble,
  preprocess: PreprocessParams,
): (raw: Record<FeatureName, number>) => RiskFactor[] {
  const explainer = prepareTreeShap(ensemble);
  const names = ensemble.featureNames;
  return (raw) => {
    const table = oneRowTable(raw);
    const matrix = transformFeatures(preprocess, table);
    const columns = matrix.columns as Record<string, Float64Array>;
    const row = names.map((name) => columns[name]?.[0] ?? Number.NaN);
    const contributions = explainer.explainRow(row);
    const factors: RiskFactor[] = names.map((feature, j) => {
      const contribution = contributions[j];
      const value = row[j];
      return {
        feature,
        value: Number.isFinite(value) ? value : null,
        contribution,
        direction: contribution >= 0 ? 'raises' : 'lowers',
        text: describeFactor(feature, value, raw),
      };
    });
    return factors
      .filter((f) => f.contribution !== 0)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, TOP_FACTORS);
  };
}

function oneRowTable(raw: Record<FeatureName, number>): PatientTable {
  const features = emptyFeatureColumns(1);
  for (const f of FEATURE_COLUMNS) features[f][0] = raw[f];
  return { rowCount: 1, ids: ['explain'], lineNumbers: new Uint32Array([2]), features, outcome: null };
}

function describeFactor(feature: string, value: number, raw: Record<FeatureName, number>): string {
  if (feature === 'BMI_Category') return `BMI category ${BMI_CATEGORY_LABELS[value] ?? value}`;
  if (feature === 'Age_Group') return `age group ${AGE_GROUP_LABELS[value] ?? value}`;
  if (feature === 'Glucose_BMI_Interaction') return `glucose and BMI together (${value.toFixed(0)})`;
  const unit = FEATURE_UNITS[feature as FeatureName] ?? '';
  const rawValue = raw[feature as FeatureName];
  const imputed = rawValue === 0 && value !== 0;
  return `${Number(value.toFixed(3))}${unit ? ` ${unit}` : ''}${imputed ? ' (imputed)' : ''}`;
}
