import { expect, test } from 'vitest';
import { predictMargin } from '../model/tree';
import { MODEL_FEATURES } from '../schema/columns';
import { clinicalRow, explainScreeningBatch, reasonsForRow } from './explain-batch';
import { loadPimaColumns } from './fixtures/pima-matrix';
import { syntheticEnsemble } from './fixtures/synthetic-ensemble';
import { interactionReferenceFromSample } from './fold-contributions';
import { buildWaterfall, topReasons } from './reason-codes';
import { columnsInOrder, prepareTreeShap } from './tree-shap';

const pima = loadPimaColumns();
const features = [...MODEL_FEATURES];
const columns = columnsInOrder(pima.model, features);
const ensemble = syntheticEnsemble(columns, pima.rowCount, features, { trees: 40, maxLeaves: 31, maxDepth: 8 }, 4);
const reference = interactionReferenceFromSample(pima.raw.Glucose, pima.raw.BMI);

test('a screening batch gets model and clinical explanations, and every row reasons that end at its margin', () => {
  const explanations = explainScreeningBatch(prepareTreeShap(ensemble), pima.model, pima.raw, pima.rowCount, reference);
  expect(explanations.contributions).toHaveLength(pima.rowCount * 12);
  expect(explanations.clinical).toHaveLength(pima.rowCount * 9);
  for (let r = 0; r < pima.rowCount; r++) {
    const reasons = reasonsForRow(explanations, pima.raw, r);
    expect(reasons).toHaveLength(8);
    const top = topReasons(reasons);
    expect(top.length).toBeLessThanOrEqual(3);
    for (let k = 1; k < top.length; k++) {
      expect(Math.abs(top[k - 1].contribution)).toBeGreaterThanOrEqual(Math.abs(top[k].contribution));
    }
    const waterfall = buildWaterfall(clinicalRow(explanations, r), reasons);
    const margin = predictMargin(
      ensemble,
      columns.map((c) => c[r]),
    );
    expect(Math.abs(waterfall.margin - margin)).toBeLessThan(1e-9);
    expect(waterfall.expectedValue).toBe(explanations.expectedValue);
  }
});

test('a model over other features or a row outside the batch is refused', () => {
  const other = prepareTreeShap({ ...ensemble, featureNames: features.map((f) => `x_${f}`) });
  expect(() => explainScreeningBatch(other, pima.model, pima.raw, 10, reference)).toThrow(/are not MODEL_FEATURES$/);
  const explanations = explainScreeningBatch(prepareTreeShap(ensemble), pima.model, pima.raw, 10, reference);
  expect(() => reasonsForRow(explanations, pima.raw, 10)).toThrow('row 10 is outside 0..9');
});
