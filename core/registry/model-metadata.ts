import { z } from 'zod';
import { MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import { isVersion } from './semver';

/** Files of a bundle whose sha256 metadata.json records and loadBundle verifies. */
export const HASHED_FILES = ['model.onnx', 'trees.json', 'preprocessing.json', 'reference.json'] as const;
export type HashedFile = (typeof HASHED_FILES)[number];

/**
 * Drift detection's reference sample: the training part's rows, the 8 raw features exactly as in the file
 * (zeros stay zeros) and the 3 engineered features as transformFeatures computes them.
 */
export interface DriftReference {
  rowCount: number;
  columns: Record<ModelFeatureName, number[]>;
}

const finite = z.number().finite();
const metricBag = z.record(z.string(), z.unknown());

/** A std is null in JSON when undefined (e.g. no called rows): NaN is not JSON. */
const samplingError = z.looseObject({ std: finite.nullable(), fraction: finite.min(0).max(1) });

/** core/monitoring/cbpe.ts CbpeReference, as fitted at training time. Optional: bundles before v1.1.0 lack it. */
const CbpeReferenceSchema = z.looseObject({
  threshold: finite.min(0).max(1),
  beta: finite.positive(),
  referenceRows: z.number().int().positive(),
  recall: samplingError,
  precision: samplingError,
  fBeta: samplingError,
});

const importanceList = z.array(
  z.looseObject({ feature: z.string(), meanAbsShap: finite.min(0), rank: z.number().int() }),
);

/** Mean |SHAP| over the training part (core/explain). Optional: bundles before v1.1.0 lack it. */
const GlobalImportanceSchema = z.looseObject({
  data: z.string(),
  rows: z.number().int().positive(),
  model: importanceList,
  clinical: importanceList,
});

export const ModelMetadataSchema = z.looseObject({
  version: z.string().refine(isVersion, 'must look like v1.2.3'),
  algorithm: z.string().min(1),
  optimization_target: z.string().min(1),
  optimal_threshold: finite.min(0).max(1),
  target_recall: finite.min(0).max(1),
  risk_cuts: z.object({ medium: finite.min(0).max(1), high: finite.min(0).max(1) }),
  test_metrics: metricBag,
  validation_estimates: z.looseObject({ recall: finite, precision: finite, f2: finite, auc: finite }),
  cv_estimates: metricBag.nullable(),
  cbpe_reference: CbpeReferenceSchema.optional(),
  global_importance: GlobalImportanceSchema.optional(),
  training_date: z.string().min(1),
  data_path: z.string(),
  data_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  code_revision: z.string(),
  feature_order: z
    .array(z.string())
    .refine(
      (names) => names.length === MODEL_FEATURES.length && names.every((n, i) => n === MODEL_FEATURES[i]),
      `must be exactly ${MODEL_FEATURES.join(', ')}`,
    ),
  calibration: z.object({ method: z.literal('platt'), slope: finite, intercept: finite }),
  best_params: z.record(z.string(), z.unknown()),
  files: z.object(
    Object.fromEntries(HASHED_FILES.map((f) => [f, z.string().regex(/^[0-9a-f]{64}$/)])) as Record<
      HashedFile,
      z.ZodString
    >,
  ),
});

export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;
