import { describe, expect, test } from 'vitest';
import { predictMargin } from '../model/tree';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../schema/columns';
import { loadPimaColumns } from '../testing/pima';
import { syntheticEnsemble } from '../testing/synthetic-ensemble';
import {
  CLINICAL_WIDTH,
  foldBatch,
  foldContributions,
  interactionReferenceFromMedians,
  interactionReferenceFromSample,
  interactionShares,
} from './fold-contributions';
import { columnsInOrder, prepareTreeShap } from './tree-shap';

const pima = loadPimaColumns();
// Medians of the non-zero Pima values, computed independently with sort/awk on the CSV: 117 mg/dL and 32.3 kg/m².
const reference = { glucose: 117, bmi: 32.3 };

test('the reference point is the median of the measured Glucose and BMI values', () => {
  expect(interactionReferenceFromSample(pima.raw.Glucose, pima.raw.BMI)).toEqual(reference);
  expect(interactionReferenceFromMedians({ Glucose: 117, BMI: 32.3 })).toEqual(reference);
  expect(() => interactionReferenceFromMedians({ Glucose: Number.NaN, BMI: 32.3 })).toThrow(
    'interaction reference must be positive: Glucose NaN, BMI 32.3',
  );
  expect(() => interactionReferenceFromSample([0, Number.NaN], [30])).toThrow(
    'the reference sample has no measured Glucose or BMI values',
  );
});

describe('interaction shares', () => {
  test('an input at the reference gets none of the interaction, the other all of it', () => {
    expect(interactionShares(117, 40, reference)).toEqual({ glucose: 0, bmi: 1 });
    expect(interactionShares(180, 32.3, reference)).toEqual({ glucose: 1, bmi: 0 });
  });

  test('both at the reference, or both missing, split 50/50', () => {
    expect(interactionShares(117, 32.3, reference)).toEqual({ glucose: 0.5, bmi: 0.5 });
    expect(interactionShares(0, Number.NaN, reference)).toEqual({ glucose: 0.5, bmi: 0.5 });
  });

  test('a missing Glucose (0) counts as at the reference', () => {
    expect(interactionShares(0, 25, reference)).toEqual({ glucose: 0, bmi: 1 });
  });

  test('shares follow the size of the log deviations, also when the factors pull opposite ways', () => {
    // Glucose doubled and BMI halved: |ln 2| each, so 50/50 although the product is at the reference.
    const opposite = interactionShares(234, 16.15, reference);
    expect(opposite.glucose).toBeCloseTo(0.5, 12);
    // Glucose x 4 (ln 4 = 2 ln 2), BMI x 2: two thirds to Glucose.
    expect(interactionShares(468, 64.6, reference).glucose).toBeCloseTo(2 / 3, 12);
  });

  test('on every Pima row both shares are in [0, 1] and sum to 1', () => {
    for (let r = 0; r < pima.rowCount; r++) {
      const s = interactionShares(pima.raw.Glucose[r], pima.raw.BMI[r], reference);
      expect(s.glucose).toBeGreaterThanOrEqual(0);
      expect(s.bmi).toBeGreaterThanOrEqual(0);
      expect(s.glucose + s.bmi).toBeCloseTo(1, 15);
    }
  });
});

describe('folding', () => {
  test('BMI_Category goes to BMI, Age_Group to Age, the interaction by the shares, the rest to itself', () => {
    // Contributions 1, 2, 4, ..., 1024 (distinct powers of two) and expected value -0.5.
    const contributions = [...MODEL_FEATURES.map((_, j) => 2 ** j), -0.5];
    const folded = foldContributions(contributions, 180, 32.3, reference); // interaction all to Glucose
    expect(Array.from(folded)).toEqual([1, 2 + 1024, 4, 8, 16, 32 + 256, 64, 128 + 512, -0.5]);
    const half = foldContributions(contributions, 117, 32.3, reference);
    expect(half[1]).toBe(2 + 512);
    expect(half[5]).toBe(32 + 256 + 512);
  });

  test('for every Pima row the folded values still add up to the raw margin', () => {
    const features = [...MODEL_FEATURES];
    const columns = columnsInOrder(pima.model, features);
    const ensemble = syntheticEnsemble(columns, pima.rowCount, features, { trees: 60, maxLeaves: 31, maxDepth: 8 }, 9);
    const contributions = prepareTreeShap(ensemble).explainBatch(
      columns,
      pima.rowCount,
      new Float64Array(pima.rowCount * 12),
    );
    const folded = foldBatch(
      contributions,
      pima.rowCount,
      pima.raw.Glucose,
      pima.raw.BMI,
      reference,
      new Float64Array(pima.rowCount * CLINICAL_WIDTH),
    );
    for (let r = 0; r < pima.rowCount; r++) {
      let sum = 0;
      for (let j = 0; j < CLINICAL_WIDTH; j++) sum += folded[r * CLINICAL_WIDTH + j];
      const margin = predictMargin(
        ensemble,
        columns.map((c) => c[r]),
      );
      expect(Math.abs(sum - margin)).toBeLessThan(1e-9);
      // Inputs not touched by engineered features keep their own contribution.
      for (const name of [
        'Pregnancies',
        'BloodPressure',
        'SkinThickness',
        'Insulin',
        'DiabetesPedigreeFunction',
      ] as const) {
        expect(folded[r * CLINICAL_WIDTH + FEATURE_COLUMNS.indexOf(name)]).toBe(
          contributions[r * 12 + MODEL_FEATURES.indexOf(name)],
        );
      }
    }
  });

  test('a bad reference or short buffers are clear errors', () => {
    const contributions = new Float64Array(12);
    expect(() => foldContributions(contributions, 100, 30, { glucose: 0, bmi: 30 })).toThrow(
      'interaction reference must be positive: Glucose 0, BMI 30',
    );
    expect(() => foldContributions(new Float64Array(11), 100, 30, reference)).toThrow(
      'expected 12 contribution entries, got 11',
    );
    expect(() => foldBatch(contributions, 1, [100], [30], reference, new Float64Array(8))).toThrow(
      'output holds 8 values, need 1 x 9',
    );
  });
});
