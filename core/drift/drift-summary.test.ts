import { describe, expect, test } from 'vitest';
import { detectDrift } from './detect-drift';
import { driftSummaryLines, formatScore } from './drift-summary';

describe('drift summary text', () => {
  test('scores: small p-values in scientific notation, n/a for null', () => {
    expect(formatScore(1.23456e-9)).toBe('1.23e-9');
    expect(formatScore(0.04567)).toBe('0.04567');
    expect(formatScore(0)).toBe('0.000');
    expect(formatScore(null)).toBe('n/a');
  });

  test('one verdict line, a header, then one line per feature with its test and drift mark', () => {
    const ref = { rowCount: 6, columns: { A: [1, 2, 3, 4, 5, 6], B: [0, 0, 1, 1, 0, 1] } };
    const cur = { rowCount: 6, columns: { A: [11, 12, 13, 14, 15, 16], B: [0, 1, 1, 0, 0, 1] } };
    const lines = driftSummaryLines(detectDrift(ref, cur, { features: ['A', 'B'] }));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^Data drift: DETECTED: 1 of 2 features drifted \(share 0\.50 vs 0\.5/);
    // 6 vs 6 disjoint values: D = 1, exact p = 2 / C(12, 6) = 0.002165.
    expect(lines[2]).toMatch(/^ {2}A +K-S p_value +0\.002165 +0\.05 {2}YES/);
    expect(lines[3]).toMatch(/^ {2}B +Z-test p_value/);
  });
});
