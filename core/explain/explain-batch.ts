/**
 * core/explain: why the model scored a patient as it did. Overview of the module (its README):
 *
 *   tree-shap-reference.ts  Path-dependent TreeSHAP as published (Lundberg et al. 2018, Algorithm 2) and as
 *                           LightGBM's pred_contrib runs it, count covers; model checks (ShapModelError).
 *   tree-shap.ts            The same values for whole batches, fast (tabulated leaves / small subtrees).
 *   fold-contributions.ts   11 model features -> 8 clinical inputs, additive; the Glucose x BMI split rule.
 *   reason-codes.ts         "Glucose 168 mg/dL raises the risk": all reasons, top 3, waterfall data.
 *   global-importance.ts    Mean |SHAP| per feature and SHAP summary-chart points.
 *   borderline.ts           Scores near the threshold flagged for manual review.
 *   explain-batch.ts        This file: what the screening pipeline calls.
 *   Test and benchmark support (seeded trees, brute-force Shapley, the Pima columns) lives in core/testing/.
 *
 * Everything is on the raw log-odds margin of trees.json (before Platt calibration): per patient,
 * expectedValue + sum(contributions) = raw margin, to float rounding. Calibration is monotone, so a reason that
 * raises the margin raises the calibrated risk too.
 *
 * Typical use (once per model: prepareTreeShap(bundle.ensemble); per batch:)
 *   const reference = interactionReferenceFromMedians(bundle.preprocess.imputeMedians);
 *   const explanations = explainScreeningBatch(explainer, matrix.columns, table.features, table.rowCount, reference);
 *   worklist:  topReasons(reasonsForRow(explanations, table.features, r))
 *   detail:    buildWaterfall(clinicalRow(explanations, r), reasonsForRow(explanations, table.features, r))
 *   review:    flagBorderline(scores, metadata.optimal_threshold, band)
 *   model card / Models view: importanceOf(explanations), clinicalSummaryOf(explanations, table.features)
 *
 * The batch buffers:
 *   contributions  rowCount x 12: the 11 model features (MODEL_FEATURES order) + expected value, raw log-odds
 *   clinical       rowCount x 9:  folded onto the 8 inputs (FEATURE_COLUMNS order) + expected value
 * Reasons are built per row when shown rather than stored as text for every patient.
 */
import { FEATURE_COLUMNS, type FeatureName, MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import { CLINICAL_WIDTH, foldBatch, type InteractionReference } from './fold-contributions';
import { type FeatureImportance, meanAbsShap, type ShapSummarySeries, shapSummary } from './global-importance';
import { explainReasons, inputsOfRow, isMissingInput, type Reason, type ReasonOptions } from './reason-codes';
import { columnsInOrder, type TreeShapExplainer } from './tree-shap';

interface ScreeningExplanations {
  rowCount: number;
  expectedValue: number;
  contributions: Float64Array;
  clinical: Float64Array;
}

/**
 * Explains every row of a batch; `model` is the model matrix, `raw` the inputs as entered (for the fold).
 * `buffers` lets a caller reuse its own arrays (rowCount x 12 and rowCount x 9); otherwise they are allocated.
 */
export function explainScreeningBatch(
  explainer: TreeShapExplainer,
  model: Readonly<Record<ModelFeatureName, ArrayLike<number>>>,
  raw: Readonly<Record<FeatureName, ArrayLike<number>>>,
  rowCount: number,
  reference: InteractionReference,
  buffers: { contributions?: Float64Array; clinical?: Float64Array } = {},
): ScreeningExplanations {
  if (explainer.featureNames.join() !== MODEL_FEATURES.join()) {
    throw new RangeError(`the model's features [${explainer.featureNames.join(', ')}] are not MODEL_FEATURES`);
  }
  const contributions = explainer.explainBatch(
    columnsInOrder(model, MODEL_FEATURES),
    rowCount,
    buffers.contributions ?? new Float64Array(rowCount * explainer.width),
  );
  const clinical = foldBatch(
    contributions,
    rowCount,
    raw.Glucose,
    raw.BMI,
    reference,
    buffers.clinical ?? new Float64Array(rowCount * CLINICAL_WIDTH),
  );
  return { rowCount, expectedValue: explainer.expectedValue, contributions, clinical };
}

/** The 9 folded entries of row r (a view, no copy). */
export function clinicalRow(explanations: ScreeningExplanations, r: number): Float64Array {
  return explanations.clinical.subarray(r * CLINICAL_WIDTH, (r + 1) * CLINICAL_WIDTH);
}

/** All 8 reasons of row r, largest effect first. */
export function reasonsForRow(
  explanations: ScreeningExplanations,
  raw: Readonly<Record<FeatureName, ArrayLike<number>>>,
  r: number,
  options?: ReasonOptions,
): Reason[] {
  if (!(r >= 0 && r < explanations.rowCount))
    throw new RangeError(`row ${r} is outside 0..${explanations.rowCount - 1}`);
  return explainReasons(clinicalRow(explanations, r), inputsOfRow(raw, r), options);
}

/** Mean |SHAP| of a batch (e.g. the training rows for the model card): per model feature and per clinical input. */
export function importanceOf(explanations: ScreeningExplanations): {
  model: FeatureImportance[];
  clinical: FeatureImportance[];
} {
  return {
    model: meanAbsShap(explanations.contributions, explanations.rowCount, MODEL_FEATURES),
    clinical: meanAbsShap(explanations.clinical, explanations.rowCount, FEATURE_COLUMNS),
  };
}

/** SHAP summary-chart data over the clinical inputs (values as entered; missing zeros shown as null). */
export function clinicalSummaryOf(
  explanations: ScreeningExplanations,
  raw: Readonly<Record<FeatureName, ArrayLike<number>>>,
  maxPoints?: number,
): ShapSummarySeries[] {
  const values = FEATURE_COLUMNS.map((feature) =>
    Float64Array.from({ length: explanations.rowCount }, (_, r) =>
      isMissingInput(feature, raw[feature][r]) ? Number.NaN : raw[feature][r],
    ),
  );
  return shapSummary(explanations.clinical, explanations.rowCount, FEATURE_COLUMNS, values, maxPoints);
}
