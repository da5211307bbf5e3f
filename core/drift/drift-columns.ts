import { type PreprocessParams, transformFeatures } from '../preprocess/pipeline';
import { FEATURE_COLUMNS, MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';

/**
 * The columns drift detection compares: the 8 raw features exactly as read (zeros stay zeros, so the share of
 * "not measured" can be compared) and the 3 engineered features as the model sees them (after imputation).
 * Used for the current batch and, by training, for the bundle's reference.json.
 */
export function driftColumnsOf(
  params: PreprocessParams,
  table: PatientTable,
): { rowCount: number; columns: Record<ModelFeatureName, Float64Array> } {
  const matrix = transformFeatures(params, table);
  const columns = {} as Record<ModelFeatureName, Float64Array>;
  for (const name of MODEL_FEATURES) columns[name] = matrix.columns[name];
  for (const name of FEATURE_COLUMNS) columns[name] = table.features[name];
  return { rowCount: table.rowCount, columns };
}
