import type { RiskFactor, WaterfallDto } from '../../api/outputs';
import { clinicalRow, explainScreeningBatch, reasonsForRow } from '../../explain/explain-batch';
import { interactionReferenceFromMedians } from '../../explain/fold-contributions';
import { buildWaterfall, type Reason } from '../../explain/reason-codes';
import { prepareTreeShap } from '../../explain/tree-shap';
import type { TreeEnsemble } from '../../model/tree';
import { type PreprocessParams, transformFeatures } from '../../preprocess/pipeline';
import { FEATURE_COLUMNS, type FeatureName } from '../../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../../table/patient-table';
import { isNotMeasured } from './clinical-context';

/** One patient's explanation: every input's reason (largest effect first) and the waterfall over them. */
export interface PatientExplanation {
  factors: RiskFactor[];
  waterfall: WaterfallDto;
}

/** Raw inputs of several patients, columnar, as read from the file (zeros not yet imputed). */
export type RawRows = Record<FeatureName, ArrayLike<number>>;

/** How many reasons the worklist shows per patient. */
const WORKLIST_FACTORS = 3;

/**
 * Explanations from core/explain: exact TreeSHAP on the model's own trees (raw margins), folded onto the 8 clinical
 * inputs (the engineered features shared out to the inputs they come from), as reason texts such as
 * "Glucose 168 mg/dL raises the risk". Batched, so a worklist page or an export explains all its rows in one pass.
 */
export function createFactorExplainer(
  ensemble: TreeEnsemble,
  preprocess: PreprocessParams,
): (raw: RawRows, rowCount: number) => PatientExplanation[] {
  const explainer = prepareTreeShap(ensemble);
  const reference = interactionReferenceFromMedians(preprocess.imputeMedians);
  return (raw, rowCount) => {
    const table = tableOf(raw, rowCount);
    const matrix = transformFeatures(preprocess, table);
    const explanations = explainScreeningBatch(explainer, matrix.columns, table.features, rowCount, reference);
    const out: PatientExplanation[] = [];
    for (let r = 0; r < rowCount; r++) {
      const reasons = reasonsForRow(explanations, table.features, r).map(notMeasuredReason);
      out.push({ factors: reasons.map(toFactor), waterfall: buildWaterfall(clinicalRow(explanations, r), reasons) });
    }
    return out;
  };
}

/** The worklist's short list: the largest effects that actually move the risk. */
export function topFactors(factors: readonly RiskFactor[], count = WORKLIST_FACTORS): RiskFactor[] {
  return factors.filter((f) => f.direction !== 'neutral').slice(0, count);
}

const EFFECT: Record<Reason['direction'], string> = {
  raises: 'raises the risk',
  lowers: 'lowers the risk',
  neutral: 'has little effect on the risk',
};

/**
 * A test that was not done (Insulin recorded as 0) reads as not measured, never as a reading of 0 that "raises the
 * risk": the effect is the model's handling of the gap, and the clinician should know the value is absent.
 */
export function notMeasuredReason(reason: Reason): Reason {
  if (!isNotMeasured(reason.feature, reason.value)) return reason;
  return { ...reason, value: null, text: `${reason.label} not measured (recorded as 0): ${EFFECT[reason.direction]}` };
}

function toFactor(reason: Reason): RiskFactor {
  return {
    feature: reason.feature,
    value: reason.value,
    contribution: reason.contribution,
    direction: reason.direction,
    text: reason.text,
  };
}

function tableOf(raw: RawRows, rowCount: number): PatientTable {
  const features = emptyFeatureColumns(rowCount);
  for (const name of FEATURE_COLUMNS) {
    const source = raw[name];
    const target = features[name];
    for (let r = 0; r < rowCount; r++) target[r] = source[r];
  }
  return {
    rowCount,
    ids: Array.from({ length: rowCount }, (_, i) => `row-${i}`),
    lineNumbers: new Uint32Array(rowCount),
    features,
    outcome: null,
  };
}
