import { z } from 'zod';
import {
  FEATURE_COLUMNS,
  type FeatureName,
  MODEL_FEATURES,
  type ModelFeatureName,
  ZERO_IMPUTE_COLUMNS,
  type ZeroImputeColumn,
} from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { PARSE_ONCE } from '../util/parse-once';
import { engineerInto } from './feature-engineer';
import type { ModelMatrix } from './model-matrix';
import { applyScaler, fitScaler, meanAndStd, type ScalerParams } from './standard-scaler';
import { fitZeroImputer, type ImputeMedians, imputeZeros } from './zero-imputer';

const PREPROCESS_FORMAT_VERSION = 1;

/** Everything fitted on the training rows; serialised into the model bundle as preprocessing.json. */
export interface PreprocessParams {
  formatVersion: typeof PREPROCESS_FORMAT_VERSION;
  imputeMedians: ImputeMedians;
  /** Mean and population std of each raw feature after imputation: the z-score warning's reference. */
  featureStats: { mean: Record<FeatureName, number>; std: Record<FeatureName, number> };
  scaler: ScalerParams;
  trainingRows: number;
}

/** Fits imputer, statistics and scaler. Call it with training rows only, never validation or test rows. */
export function fitPreprocessor(training: PatientTable): PreprocessParams {
  if (training.rowCount === 0) throw new Error('cannot fit preprocessing on zero rows');
  const imputeMedians = fitZeroImputer(training);
  const imputed = imputeRaw(imputeMedians, training);
  const mean = {} as Record<FeatureName, number>;
  const std = {} as Record<FeatureName, number>;
  for (const name of FEATURE_COLUMNS) {
    const s = meanAndStd(imputed[name]);
    mean[name] = s.mean;
    std[name] = s.std;
  }
  const matrix = engineer(imputed, training.rowCount);
  return {
    formatVersion: PREPROCESS_FORMAT_VERSION,
    imputeMedians,
    featureStats: { mean, std },
    scaler: fitScaler(matrix),
    trainingRows: training.rowCount,
  };
}

/** Impute zeros, then engineer BMI_Category, Age_Group and Glucose x BMI. Unscaled: the trees take this. */
export function transformFeatures(params: PreprocessParams, table: PatientTable): ModelMatrix {
  return engineer(imputeRaw(params.imputeMedians, table), table.rowCount);
}

/** The full reference-design pipeline including the StandardScaler. */
export function transformScaled(params: PreprocessParams, table: PatientTable): ModelMatrix {
  return applyScaler(params.scaler, transformFeatures(params, table));
}

function imputeRaw(medians: ImputeMedians, table: PatientTable): Record<FeatureName, Float64Array> {
  const out = {} as Record<FeatureName, Float64Array>;
  for (const name of FEATURE_COLUMNS) {
    const src = table.features[name];
    out[name] = (ZERO_IMPUTE_COLUMNS as readonly string[]).includes(name)
      ? imputeZeros(src, medians[name as ZeroImputeColumn], new Float64Array(src.length))
      : src;
  }
  return out;
}

function engineer(imputed: Record<FeatureName, Float64Array>, rowCount: number): ModelMatrix {
  const columns = { ...imputed } as Record<ModelFeatureName, Float64Array>;
  columns.BMI_Category = new Float64Array(rowCount);
  columns.Age_Group = new Float64Array(rowCount);
  columns.Glucose_BMI_Interaction = new Float64Array(rowCount);
  engineerInto(imputed.Glucose, imputed.BMI, imputed.Age, {
    bmiCategory: columns.BMI_Category,
    ageGroup: columns.Age_Group,
    glucoseBmi: columns.Glucose_BMI_Interaction,
  });
  return { rowCount, columns };
}

const finite = z.number().finite();
const byFeature = z.object(
  Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, finite])) as Record<FeatureName, typeof finite>,
);
const byModelFeature = z.object(
  Object.fromEntries(MODEL_FEATURES.map((c) => [c, finite])) as Record<ModelFeatureName, typeof finite>,
);

const PreprocessParamsSchema = z.object({
  formatVersion: z.literal(PREPROCESS_FORMAT_VERSION),
  imputeMedians: z.object(
    Object.fromEntries(ZERO_IMPUTE_COLUMNS.map((c) => [c, finite])) as Record<ZeroImputeColumn, typeof finite>,
  ),
  featureStats: z.object({ mean: byFeature, std: byFeature }),
  scaler: z.object({ mean: byModelFeature, scale: byModelFeature }),
  trainingRows: z.number().int().positive(),
});

export function serialisePreprocessParams(params: PreprocessParams): string {
  return `${JSON.stringify(params, null, 2)}\n`;
}

/** Parses and checks preprocessing.json; a malformed file is an error naming the bad key. */
export function parsePreprocessParams(json: string): PreprocessParams {
  const result = PreprocessParamsSchema.safeParse(JSON.parse(json), PARSE_ONCE);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`preprocessing parameters are invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data as PreprocessParams;
}
