import { type AssumedValue, KEY_MEASUREMENTS, type PatientDetail, type WorklistRow } from '../../api/outputs';
import { isBorderline } from '../../explain/borderline';
import { FEATURE_COLUMNS, type FeatureName } from '../../schema/columns';
import type { BatchRecord } from '../../store/batch-repository';
import type { AppContext } from '../app-context';
import type { LoadedModel } from '../ports';
import { clinicalInputs } from './clinical-context';
import type { PatientExplanation, RawRows } from './risk-factors';
import { reviewState } from './worklist-cache';
import type { WorklistIndex } from './worklist-index';

/** One patient of a batch as the detail view (and quick score) shows it, explained by the model that scored it. */
export async function patientDetail(
  app: AppContext,
  record: BatchRecord,
  rowIndex: number,
  index: WorklistIndex,
): Promise<PatientDetail> {
  const prediction = app.store.batches.prediction(record.id, rowIndex);
  if (!prediction) throw new Error(`prediction ${record.id}/${rowIndex} missing from the store`);
  const raw = rawFeatures(prediction.inputs);
  const model = await scoringModel(app, record.modelVersion);
  const explanation = model?.explain ? model.explain(oneRow(raw), 1)[0] : null;
  const inputs = clinicalInputs(raw, (f) => (model ? medianOf(model, f) : null));
  return {
    batchId: String(record.id),
    rowIndex,
    patientId: prediction.patientId,
    line: prediction.line,
    score: prediction.score,
    category: prediction.category,
    recommended: prediction.recommendation === 1,
    threshold: record.threshold ?? Number.NaN,
    modelVersion: record.modelVersion ?? 'unknown',
    inputs,
    review: index.review(rowIndex),
    reviewHistory: app.store.reviews.forPrediction(record.id, rowIndex).map(reviewState).reverse(),
    assumed: assumedFromInputs(inputs),
    warnings: index.row(rowIndex).warnings,
    borderline:
      record.threshold !== null && isBorderline(prediction.score, record.threshold, app.worklists.borderlineBand),
    factors: explanation?.factors ?? null,
    waterfall: explanation
      ? { ...explanation.waterfall, expectedScore: model?.calibrate?.(explanation.waterfall.expectedValue) ?? null }
      : null,
  };
}

/**
 * Explanations of some rows of a batch, with the model that scored it (null when that model is not installed):
 * read from the stored inputs in one batched TreeSHAP pass.
 */
export async function explainRows(
  app: AppContext,
  record: BatchRecord,
  rowIndexes: readonly number[],
): Promise<PatientExplanation[] | null> {
  const model = await scoringModel(app, record.modelVersion);
  if (!model?.explain || rowIndexes.length === 0) return null;
  const raw = {} as Record<FeatureName, Float64Array>;
  for (const f of FEATURE_COLUMNS) raw[f] = new Float64Array(rowIndexes.length);
  // One read of each input blob for the whole slice, not one per row.
  const predictions = app.store.batches.predictionsAt(record.id, rowIndexes);
  rowIndexes.forEach((_rowIndex, r) => {
    const prediction = predictions[r];
    const inputs = prediction ? rawFeatures(prediction.inputs) : null;
    for (const f of FEATURE_COLUMNS) raw[f][r] = inputs ? inputs[f] : Number.NaN;
  });
  return model.explain(raw as RawRows, rowIndexes.length);
}

/** The key measurements the model had to assume for one patient. */
export function assumedFromInputs(inputs: PatientDetail['inputs']): AssumedValue[] {
  return inputs
    .filter((i) => i.imputed && (KEY_MEASUREMENTS as readonly string[]).includes(i.feature))
    .map((i) => ({ feature: i.feature as AssumedValue['feature'], unit: i.unit, value: i.usedValue }));
}

/** The scoring model's medians, for naming the value a worklist row's missing measurement was scored at. */
export async function assumedValueFiller(
  app: AppContext,
  record: BatchRecord,
): Promise<(row: WorklistRow) => WorklistRow> {
  const model = await scoringModel(app, record.modelVersion);
  return (row) =>
    row.assumed.length === 0
      ? row
      : { ...row, assumed: row.assumed.map((a) => ({ ...a, value: model ? medianOf(model, a.feature) : null })) };
}

/** The installed model, only if it is the one that scored the batch: never explain with another model. */
async function scoringModel(app: AppContext, version: string | null): Promise<LoadedModel | null> {
  const production = await app.models.production();
  return production.ok && production.model.info.version === version ? production.model : null;
}

function oneRow(raw: Record<FeatureName, number>): RawRows {
  const rows = {} as Record<FeatureName, number[]>;
  for (const f of FEATURE_COLUMNS) rows[f] = [raw[f]];
  return rows;
}

function rawFeatures(inputs: Record<string, number | null>): Record<FeatureName, number> {
  const raw = {} as Record<FeatureName, number>;
  for (const f of FEATURE_COLUMNS) raw[f] = inputs[f] ?? Number.NaN;
  return raw;
}

function medianOf(model: LoadedModel, feature: FeatureName): number | null {
  return (model.imputeMedians as Partial<Record<FeatureName, number>>)[feature] ?? null;
}
