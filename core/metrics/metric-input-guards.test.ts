import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { averagePrecision } from './average-precision';
import { reliabilityTable } from './reliability-table';

const pima = loadPimaColumns();
// Glucose over its maximum: a probability-like score in [0, 1] that reaches both ends (Pima has Glucose 0 rows).
const glucose = pima.raw.Glucose;
const maxGlucose = Math.max(...glucose);
const probs = glucose.map((g) => g / maxGlucose);

describe('metric input guards', () => {
  test('average precision of an empty set is NaN: no positive, nothing to average', () => {
    expect(averagePrecision([], [])).toBeNaN();
  });

  test('one reliability bin holds every Pima row: the overall mean score and the prevalence', () => {
    let sumP = 0;
    let positives = 0;
    for (let i = 0; i < pima.rowCount; i++) {
      sumP += probs[i];
      positives += pima.outcome[i];
    }
    const table = reliabilityTable(probs, pima.outcome, 1);
    expect(table).toHaveLength(1);
    expect(table[0]).toMatchObject({ lower: 0, upper: 1, count: pima.rowCount });
    expect(table[0].meanPredicted).toBeCloseTo(sumP / pima.rowCount, 12);
    expect(table[0].observedRate).toBeCloseTo(positives / pima.rowCount, 12);
  });

  test('bins must be a positive integer', () => {
    for (const bins of [0, -3, 2.5, Number.NaN]) {
      expect(() => reliabilityTable([0.5], [1], bins)).toThrow('reliabilityTable: bins must be a positive integer');
    }
  });

  test('a probability of exactly 0 is in range and lands in the first bin; below 0 is refused', () => {
    expect(probs.some((p) => p === 0)).toBe(true);
    const zeros = probs.filter((p) => p < 0.1).length;
    expect(reliabilityTable(probs, pima.outcome, 10)[0]).toMatchObject({ lower: 0, count: zeros });
    expect(() => reliabilityTable([0.2, -0.01], [0, 1])).toThrow(/index 1 is -0.01/);
    expect(() => reliabilityTable([Number.NaN], [0])).toThrow(/index 0 is NaN/);
  });
});
