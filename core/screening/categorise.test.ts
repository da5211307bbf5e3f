import { describe, expect, test } from 'vitest';
import type { RiskCategory } from '../api/outputs';
import { DEFAULT_RISK_CUTS } from '../model/risk-category';
import { loadPimaColumns } from '../testing/pima';
import { categoriseInto } from './categorise';

const pima = loadPimaColumns();
// Glucose over its maximum: a score in [0, 1] spread over every band.
const maxGlucose = Math.max(...pima.raw.Glucose);
const scores = pima.raw.Glucose.map((g) => g / maxGlucose);

describe('categoriseInto', () => {
  test('every Pima score is recommended from the threshold on and banded by the documented cuts', () => {
    const threshold = 0.459;
    const categories: RiskCategory[] = new Array(pima.rowCount);
    const recommendations = new Uint8Array(pima.rowCount);
    categoriseInto(scores, pima.rowCount, threshold, DEFAULT_RISK_CUTS, categories, recommendations);
    const bands = new Set<string>();
    for (let i = 0; i < pima.rowCount; i++) {
      const s = scores[i];
      expect(recommendations[i]).toBe(s >= threshold ? 1 : 0);
      const expected = s >= 0.6 ? 'High' : s >= 0.35 ? 'Medium' : 'Low';
      expect(categories[i]).toBe(expected);
      bands.add(`${expected} ${recommendations[i]}`);
    }
    // The data reach every band on both sides of the threshold, so each branch above was exercised.
    expect([...bands].sort()).toEqual(['High 1', 'Low 0', 'Medium 0', 'Medium 1']);
  });

  test('a score exactly at the threshold is recommended; rows past rowCount are left alone', () => {
    const categories: RiskCategory[] = ['High', 'High', 'High'];
    const recommendations = Uint8Array.from([7, 7, 7]);
    categoriseInto([0.2, 0.3, 0.9], 2, 0.3, DEFAULT_RISK_CUTS, categories, recommendations);
    expect(Array.from(recommendations)).toEqual([0, 1, 7]);
    // 0.3 is below the Medium cut, but a recommended patient is never Low.
    expect(categories).toEqual(['Low', 'Medium', 'High']);
  });
});
