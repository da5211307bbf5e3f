import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { chi2Contingency, chiSquareGoodnessOfFit } from './chi-square-test';
import { jensenShannonDistance, jensenShannonDrift } from './jensen-shannon';
import { ksTwoSample } from './ks-test';
import { normalizedWasserstein, wassersteinSorted } from './wasserstein';
import { proportionsZTest, twoProportionZTest } from './z-test';

const pima = loadPimaColumns();

describe('Z-test inputs', () => {
  test('a sample with no values is refused, also when the other holds one value', () => {
    expect(() => twoProportionZTest([], [])).toThrow('z-test needs at least one value in each sample');
    expect(() => twoProportionZTest([], [1, 1])).toThrow('z-test needs at least one value in each sample');
    expect(() => twoProportionZTest([0, 0], [])).toThrow('z-test needs at least one value in each sample');
    expect(() => proportionsZTest(0, 0, 1, 2)).toThrow('z-test needs at least one value in each sample');
    expect(() => proportionsZTest(1, 2, 0, 0)).toThrow('z-test needs at least one value in each sample');
  });

  test('Pima Outcome against itself and against its complement, by the pooled formula', () => {
    const outcome = Array.from(pima.outcome);
    expect(twoProportionZTest(outcome, outcome)).toEqual({ statistic: 0, pValue: 1 });
    // 268 of 768 positives against 500 of 768 (the labels flipped): pooled share 1/2.
    const flipped = outcome.map((y) => 1 - y);
    const p1 = 268 / 768;
    const p2 = 500 / 768;
    const z = (p1 - p2) / Math.sqrt(0.5 * 0.5 * (2 / 768));
    const result = twoProportionZTest(outcome, flipped);
    expect(result.statistic).toBeCloseTo(z, 12);
    expect(result.pValue).toBeLessThan(1e-15);
    // The smaller value is the "0" whichever sample holds it: two-valued 3/5 in place of 0/1 gives the same z.
    expect(
      twoProportionZTest(
        outcome.map((y) => 3 + 2 * y),
        flipped.map((y) => 3 + 2 * y),
      ).statistic,
    ).toBeCloseTo(z, 12);
  });
});

describe('Z-test without variance', () => {
  test('Pima negatives (or positives) against a share of themselves: one shared value, no difference', () => {
    const outcome = Array.from(pima.outcome);
    const negatives = outcome.filter((y) => y === 0);
    const positives = outcome.filter((y) => y === 1);
    expect(negatives).toHaveLength(500);
    expect(twoProportionZTest(negatives, negatives.slice(0, 100))).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest(positives.slice(0, 10), positives)).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('KS and chi-square inputs', () => {
  const missing = new Float64Array(pima.rowCount).fill(Number.NaN);

  test('a sample without one non-missing value is refused', () => {
    const refused = 'ks test needs at least one non-missing value in each sample';
    expect(() => ksTwoSample(pima.raw.Insulin, missing)).toThrow(refused);
    expect(() => ksTwoSample(pima.raw.Insulin, [])).toThrow(refused);
    // An empty reference is refused while it is prepared, before any current value is read.
    expect(() => ksTwoSample(missing, pima.raw.Insulin)).toThrow('the reference sample has no values');
  });

  test('chi-square refuses a sample without values, and a contingency table without cells', () => {
    const refused = 'chi-square test needs at least one value in each sample';
    expect(() => chiSquareGoodnessOfFit(pima.raw.Pregnancies, missing)).toThrow(refused);
    expect(() => chiSquareGoodnessOfFit([], pima.raw.Pregnancies)).toThrow(refused);
    expect(() => chi2Contingency([])).toThrow('chi2Contingency: empty table');
    expect(() => chi2Contingency([[], []])).toThrow('chi2Contingency: empty table');
  });
});

describe('Wasserstein inputs', () => {
  test('an empty sample is refused', () => {
    expect(() => wassersteinSorted([], [1])).toThrow('wasserstein distance needs at least one value in each sample');
    expect(() => wassersteinSorted([1], [])).toThrow('wasserstein distance needs at least one value in each sample');
  });

  test('a constant reference is normalised by 0.001, not by 0', () => {
    // W({5,5,5}, {5,5,6}) = 1/3 (a third of the mass moves by 1).
    expect(normalizedWasserstein([5, 5, 5], [5, 5, 6])).toBeCloseTo(1 / 3 / 0.001, 9);
  });

  test('NaN is left out of both the distance and the reference std', () => {
    // Reference {0, 2} (std 1) against {1}: W = 1/2 + 1/2 = 1.
    expect(normalizedWasserstein([0, Number.NaN, 2], [1, Number.NaN])).toBeCloseTo(1, 12);
  });

  test('Pima BMI shifted by its own std is one reference std away', () => {
    const bmi = pima.raw.BMI;
    const mean = bmi.reduce((a, b) => a + b, 0) / bmi.length;
    const std = Math.sqrt(bmi.reduce((a, b) => a + (b - mean) ** 2, 0) / bmi.length);
    expect(
      normalizedWasserstein(
        bmi,
        bmi.map((x) => x + std),
      ),
    ).toBeCloseTo(1, 9);
    // Shifted down, the reference's values run on after the current sample's last one.
    expect(
      normalizedWasserstein(
        bmi,
        bmi.map((x) => x - std),
      ),
    ).toBeCloseTo(1, 9);
    expect(normalizedWasserstein(bmi, bmi)).toBe(0);
  });
});

describe('Jensen-Shannon inputs', () => {
  test('vectors of different lengths are refused', () => {
    expect(() => jensenShannonDistance([1, 2], [1])).toThrow('jensenShannonDistance: vectors differ in length');
  });

  test('unnormalised counts, zero cells and the log base', () => {
    // p = (1/2, 1/2, 0), q = (0, 1/2, 1/2): m = (1/4, 1/2, 1/4); KL(p||m) = KL(q||m) = 1/2 ln 2.
    const js = Math.sqrt((0.5 * Math.LN2) / Math.LN2);
    expect(jensenShannonDistance([2, 2, 0], [0, 5, 5])).toBeCloseTo(js, 14);
    expect(jensenShannonDistance([2, 2, 0], [0, 5, 5], Math.E)).toBeCloseTo(Math.sqrt(0.5 * Math.LN2), 14);
  });

  test('20 distinct reference values are compared value by value, 21 are binned', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i);
    // Value by value: the current sample's values 0.5 .. 19.5 share nothing with the reference: distance 1.
    expect(
      jensenShannonDrift(
        twenty,
        twenty.map((x) => x + 0.5),
        true,
      ),
    ).toBeCloseTo(1, 12);
    const twentyOne = Array.from({ length: 21 }, (_, i) => i);
    // Binned over both samples, the half-step shift mostly stays within a bin.
    expect(
      jensenShannonDrift(
        twentyOne,
        twentyOne.map((x) => x + 0.5),
        true,
      ),
    ).toBeLessThan(0.5);
    // A categorical feature is never binned.
    expect(
      jensenShannonDrift(
        twentyOne,
        twentyOne.map((x) => x + 0.5),
        false,
      ),
    ).toBeCloseTo(1, 12);
  });
});
