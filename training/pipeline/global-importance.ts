import { explainScreeningBatch, importanceOf } from '../../core/explain/explain-batch';
import { interactionReferenceFromMedians } from '../../core/explain/fold-contributions';
import type { FeatureImportance } from '../../core/explain/global-importance';
import { prepareTreeShap } from '../../core/explain/tree-shap';
import type { TreeEnsemble } from '../../core/model/tree';
import { type PreprocessParams, transformFeatures } from '../../core/preprocess/pipeline';
import type { PatientTable } from '../../core/table/patient-table';

/** metadata.json `global_importance`: mean |SHAP| (raw log-odds) over a data part, as core/explain computes it. */
interface GlobalImportance {
  data: string;
  rows: number;
  scale: 'raw log-odds (margin before Platt calibration)';
  /** The 11 model features, most important first. */
  model: FeatureImportance[];
  /** Folded onto the 8 clinical inputs (BMI_Category and Glucose x BMI apportioned to BMI and Glucose). */
  clinical: FeatureImportance[];
}

/** Mean |SHAP| of the final trees over the rows of `table` (the training part), exactly as screening explains them. */
export function globalImportance(
  ensemble: TreeEnsemble,
  preprocess: PreprocessParams,
  table: PatientTable,
  data: string,
): GlobalImportance {
  const explainer = prepareTreeShap(ensemble);
  const matrix = transformFeatures(preprocess, table);
  const explanations = explainScreeningBatch(
    explainer,
    matrix.columns,
    table.features,
    table.rowCount,
    interactionReferenceFromMedians(preprocess.imputeMedians),
  );
  const { model, clinical } = importanceOf(explanations);
  return { data, rows: table.rowCount, scale: 'raw log-odds (margin before Platt calibration)', model, clinical };
}
