import { describe, expect, test } from 'vitest';
import { RISK_RISE_SCORE_STEP, riskRose } from './risk-rise';

describe('risk rose since the previous screening', () => {
  test('a category moving up counts, whatever the score did', () => {
    expect(riskRose({ score: 0.34, category: 'Low' }, { score: 0.36, category: 'Medium' })).toBe(true);
    expect(riskRose({ score: 0.59, category: 'Medium' }, { score: 0.6, category: 'High' })).toBe(true);
    expect(riskRose({ score: 0.2, category: 'Low' }, { score: 0.7, category: 'High' })).toBe(true);
  });

  test('within a category, a rise of the stated step or more counts, a smaller one does not', () => {
    expect(RISK_RISE_SCORE_STEP).toBe(0.1);
    expect(riskRose({ score: 0.6, category: 'High' }, { score: 0.7, category: 'High' })).toBe(true);
    expect(riskRose({ score: 0.35, category: 'Medium' }, { score: 0.45, category: 'Medium' })).toBe(true);
    expect(riskRose({ score: 0.6, category: 'High' }, { score: 0.699, category: 'High' })).toBe(false);
    expect(riskRose({ score: 0.1, category: 'Low' }, { score: 0.1, category: 'Low' })).toBe(false);
  });

  test('a fall, or a category moving down, never counts', () => {
    expect(riskRose({ score: 0.7, category: 'High' }, { score: 0.5, category: 'Medium' })).toBe(false);
    expect(riskRose({ score: 0.5, category: 'Medium' }, { score: 0.3, category: 'Low' })).toBe(false);
  });
});
