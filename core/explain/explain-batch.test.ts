import { expect, test } from 'vitest';
import { predictMargin } from '../model/tree';
import { MODEL_FEATURES } from '../schema/columns';
import { loadPimaColumns } from '../testing/pima';
import { syntheticEnsemble } from '../testing/synthetic-ensemble';
import { clinicalRow, clinicalSummaryOf, explainScreeningBatch, importanceOf, reasonsForRow } from './explain-batch';
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

test('caller buffers are used; a model over other features or a row outside the batch is refused', () => {
  const other = prepareTreeShap({ ...ensemble, featureNames: features.map((f) => `x_${f}`) });
  expect(() => explainScreeningBatch(other, pima.model, pima.raw, 10, reference)).toThrow(/are not MODEL_FEATURES$/);
  const contributions = new Float64Array(120);
  const explanations = explainScreeningBatch(prepareTreeShap(ensemble), pima.model, pima.raw, 10, reference, {
    contributions,
  });
  expect(explanations.contributions).toBe(contributions);
  expect(() => reasonsForRow(explanations, pima.raw, 10)).toThrow('row 10 is outside 0..9');
});

test('global importance and summary data over a batch, per model feature and per clinical input', () => {
  const explanations = explainScreeningBatch(prepareTreeShap(ensemble), pima.model, pima.raw, pima.rowCount, reference);
  const { model, clinical } = importanceOf(explanations);
  expect(model.map((f) => f.feature).sort()).toEqual([...MODEL_FEATURES].sort());
  expect(clinical).toHaveLength(8);
  // Folding moves BMI_Category's and Age_Group's effect without cancelling: |a + b| <= |a| + |b| per row.
  const byName = (list: typeof model, name: string) => list.find((f) => f.feature === name)?.meanAbsShap ?? Number.NaN;
  expect(byName(clinical, 'Age')).toBeLessThanOrEqual(byName(model, 'Age') + byName(model, 'Age_Group') + 1e-12);
  expect(byName(clinical, 'Insulin')).toBe(byName(model, 'Insulin'));
  const summary = clinicalSummaryOf(explanations, pima.raw, 100);
  expect(summary.map((s) => s.feature)).toEqual(clinical.map((f) => f.feature));
  expect(summary.every((s) => s.points.length === 100)).toBe(true);
  // Row 0 is sampled; its SkinThickness 35 is a value, and a zero SkinThickness elsewhere is null (not measured).
  const skin = summary.find((s) => s.feature === 'SkinThickness');
  expect(skin?.points[0][0]).toBe(35);
  expect(skin?.points.some(([value]) => value === null)).toBe(true);
});
