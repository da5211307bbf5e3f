import type { RiskFactor } from '../api/outputs';
import { explainScreeningBatch, reasonsForRow } from '../explain/explain-batch';
import { interactionReferenceFromMedians } from '../explain/fold-contributions';
import { topReasons } from '../explain/reason-codes';
import { prepareTreeShap } from '../explain/tree-shap';
import type { TreeEnsemble } from '../model/tree';
import { type PreprocessParams, transformFeatures } from '../preprocess/pipeline';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';

/** How many factors the detail view lists (fewer when fewer inputs matter). */
export const TOP_FACTORS = 4;

/**
 * Top contributing factors of one patient, from core/explain: exact TreeSHAP on the model's own trees (raw
 * margins), folded onto the 8 clinical inputs (the engineered features shared out to the inputs they come from),
 * as reason texts such as "Glucose 168 mg/dL raises the risk". Inputs with a negligible effect are left out.
 */
export function createFactorExplainer(
  ensemble: TreeEnsemble,
  preprocess: PreprocessParams,
): (raw: Record<FeatureName, number>) => RiskFactor[] {
  const explainer = prepareTreeShap(ensemble);
  const reference = interactionReferenceFromMedians(preprocess.imputeMedians);
  return (raw) => {
    const table = oneRowTable(raw);
    const matrix = transformFeatures(preprocess, table);
    const explanations = explainScreeningBatch(explainer, matrix.columns, table.features, 1, reference);
    return topReasons(reasonsForRow(explanations, table.features, 0), TOP_FACTORS).map((reason) => ({
      feature: reason.feature,
      value: reason.value,
      contribution: reason.contribution,
      direction: reason.direction === 'lowers' ? 'lowers' : 'raises',
      text: reason.text,
    }));
  };
}

function oneRowTable(raw: Record<FeatureName, number>): PatientTable {
  const features = emptyFeatureColumns(1);
  for (const f of FEATURE_COLUMNS) features[f][0] = raw[f];
  return { rowCount: 1, ids: ['explain'], lineNumbers: new Uint32Array([2]), features, outcome: null };
}
