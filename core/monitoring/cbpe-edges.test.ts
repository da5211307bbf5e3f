import { describe, expect, test } from 'vitest';
import { estimatePerformance, estimateWeekly, fitCbpeReference } from './cbpe';

describe('CBPE reference inputs', () => {
  test('probabilities and labels must pair up, there must be rows, and labels must be 0 or 1', () => {
    expect(() => fitCbpeReference([0.9, 0.2], [1], 0.5)).toThrow(
      'CBPE reference: probabilities and labels differ in length',
    );
    expect(() => fitCbpeReference([], [], 0.5)).toThrow('CBPE reference: no rows');
    expect(() => fitCbpeReference([0.9, 0.2], [1, 2], 0.5)).toThrow(
      'CBPE reference: label at index 1 is 2; must be 0 or 1',
    );
    expect(() => fitCbpeReference([0.9], [-1], 0.5)).toThrow('CBPE reference: label at index 0 is -1; must be 0 or 1');
  });

  test('a probability equal to the threshold is called; the counts give every component', () => {
    // Threshold 0.5: 0.5 (y 1) called -> TP; 0.49 (y 1) not called -> FN; 0.5 (y 0) called -> FP; 0.1 (y 0) TN.
    const r = fitCbpeReference([0.5, 0.49, 0.5, 0.1], [1, 1, 0, 0], 0.5, 1);
    expect(r).toMatchObject({ threshold: 0.5, beta: 1, referenceRows: 4 });
    expect(r.recall).toEqual({ std: 0.5, fraction: 2 / 4 }); // std of [1, 0]
    expect(r.precision).toEqual({ std: 0.5, fraction: 2 / 4 });
    // F1 observations over TP + FN + FP = 3 rows: [1, 0, 0] x 3 / (1 + (1 + 1) / 2) = x 1.5.
    const f = [1.5, 0, 0];
    const mean = 0.5;
    const std = Math.sqrt(f.reduce((a, v) => a + (v - mean) ** 2, 0) / 3);
    expect(r.fBeta.std).toBeCloseTo(std, 14);
    expect(r.fBeta.fraction).toBe(3 / 4);
  });

  test('the default beta is 2 (F2, recall weighted over precision)', () => {
    expect(fitCbpeReference([0.9, 0.2], [1, 0], 0.5).beta).toBe(2);
  });
});

describe('CBPE estimates at the edges', () => {
  const reference = fitCbpeReference([0.9, 0.8, 0.3, 0.6, 0.2], [1, 1, 1, 0, 0], 0.5);

  test('an empty batch has no estimate and no error band', () => {
    const e = estimatePerformance(reference, []);
    expect(e.n).toBe(0);
    for (const m of [e.recall, e.precision, e.fBeta]) {
      expect(m).toEqual({ value: null, standardError: null, lower: null, upper: null });
    }
  });

  test('probabilities of exactly 0 and 1 are allowed; outside [0, 1] is refused', () => {
    const e = estimatePerformance(reference, [0, 1]);
    expect(e.expected).toEqual({ tp: 1, fp: 0, fn: 0, tn: 1 });
    expect(e.recall.value).toBe(1);
    expect(e.precision.value).toBe(1);
    expect(e.fBeta.value).toBe(1);
    expect(() => estimatePerformance(reference, [0.5, -0.01])).toThrow(
      'CBPE: probability at index 1 is -0.01; must be in [0, 1]',
    );
    expect(() => estimatePerformance(reference, [1.01])).toThrow('CBPE: probability at index 0 is 1.01');
  });

  test('all scores below the threshold and all zero: nothing called, nothing expected positive', () => {
    const e = estimatePerformance(reference, [0, 0, 0]);
    expect(e.expected).toEqual({ tp: 0, fp: 0, fn: 0, tn: 3 });
    expect(e.recall.value).toBeNull();
    expect(e.precision.value).toBeNull();
    expect(e.fBeta.value).toBeNull();
  });

  test('the band is value ± k standard errors, clipped to [0, 1], k configurable', () => {
    // Batch of four 0.6 scores and four 0.4: E[TP] 2.4, E[FP] 1.6, E[FN] 1.6 -> precision 0.6, recall 0.6.
    const batch = [0.6, 0.6, 0.6, 0.6, 0.4, 0.4, 0.4, 0.4];
    const e = estimatePerformance(reference, batch, 1);
    const se = reference.precision.std / Math.sqrt(8 * reference.precision.fraction);
    expect(e.precision.value).toBeCloseTo(0.6, 14);
    expect(e.precision.standardError).toBeCloseTo(se, 14);
    expect(e.precision.lower).toBeCloseTo(0.6 - se, 14);
    expect(e.precision.upper).toBeCloseTo(0.6 + se, 14);
    const wide = estimatePerformance(reference, batch, 100);
    expect(wide.precision.lower).toBe(0);
    expect(wide.precision.upper).toBe(1);
  });

  test('a component with no relevant reference rows gives the value without a band', () => {
    // Nothing called in the reference: precision has fraction 0 and std NaN.
    const none = fitCbpeReference([0.1, 0.2], [1, 0], 0.5);
    expect(none.precision.fraction).toBe(0);
    const e = estimatePerformance(none, [0.7]);
    expect(e.precision).toEqual({ value: 0.7 / (0.7 + 0.3), standardError: null, lower: null, upper: null });
    // All reference rows called and positive: recall std is 0, a zero-width band.
    const sure = fitCbpeReference([0.9, 0.8], [1, 1], 0.5);
    const s = estimatePerformance(sure, [0.7, 0.2]);
    expect(s.recall.standardError).toBe(0);
    expect(s.recall.lower).toBe(s.recall.value);
  });

  test('a stored reference with a fraction of 0 gives no band, whatever std it holds', () => {
    // A reference read back from storage is data: a zero fraction must not divide by zero.
    const stored = { ...reference, recall: { std: 0.4, fraction: 0 } };
    const e = estimatePerformance(stored, [0.7, 0.2]);
    expect(e.recall.value).toBeCloseTo(0.7 / 0.9, 14);
    expect(e.recall).toMatchObject({ standardError: null, lower: null, upper: null });
  });

  test('weekly estimates are ordered by week, then model version', () => {
    const references = { a: reference, b: reference };
    const rows = [
      { score: 0.7, predictionDate: '2026-03-10', modelVersion: 'b' },
      { score: 0.7, predictionDate: '2026-03-10', modelVersion: 'a' },
      { score: 0.7, predictionDate: '2026-03-03', modelVersion: 'b' },
    ];
    expect(estimateWeekly(references, rows).map((w) => `${w.week} ${w.modelVersion}`)).toEqual([
      '2026-W10 b',
      '2026-W11 a',
      '2026-W11 b',
    ]);
  });
});

describe('CBPE arithmetic off the symmetric cases', () => {
  test('a score exactly at the threshold is called; expected misses can outweigh expected hits', () => {
    const reference = fitCbpeReference([0.9, 0.8, 0.3, 0.6, 0.2], [1, 1, 1, 0, 0], 0.5);
    const e = estimatePerformance(reference, [0.5, 0.4, 0.4]);
    // 0.5 is called: E[TP] 0.5, E[FP] 0.5; 0.4 and 0.4 are not: E[FN] 0.8, E[TN] 1.2.
    expect(e.expected.tp).toBeCloseTo(0.5, 14);
    expect(e.expected.fp).toBeCloseTo(0.5, 14);
    expect(e.expected.fn).toBeCloseTo(0.8, 14);
    expect(e.recall.value).toBeCloseTo(0.5 / 1.3, 14);
    expect(e.precision.value).toBeCloseTo(0.5, 14);
  });

  test('with no expected positive the band is empty too, though the reference has a spread', () => {
    const reference = fitCbpeReference([0.9, 0.8, 0.3, 0.6, 0.2], [1, 1, 1, 0, 0], 0.5);
    expect(Number.isFinite(reference.recall.std) && reference.recall.fraction > 0).toBe(true);
    expect(estimatePerformance(reference, [0, 0]).recall).toEqual({
      value: null,
      standardError: expect.any(Number),
      lower: null,
      upper: null,
    });
  });

  test('the F-beta correction weighs misses by beta squared: two misses, beta 2', () => {
    // TP 1 (0.9), FN 2 (0.2, 0.3), FP 1 (0.6): correction 4 / (1 + (4·2 + 1) / 5) = 4 / 2.8 over [1, 0, 0, 0].
    const r = fitCbpeReference([0.9, 0.2, 0.3, 0.6], [1, 1, 1, 0], 0.5);
    expect(r.fBeta.std).toBeCloseTo((4 / 2.8) * Math.sqrt(3 / 16), 14);
    expect(r.fBeta.fraction).toBe(1);
  });

  test('predictions without a model version are never estimated, whatever the references are keyed by', () => {
    const reference = fitCbpeReference([0.9, 0.2], [1, 0], 0.5);
    const weekly = estimateWeekly({ null: reference, v1: reference }, [
      { score: 0.9, predictionDate: '2026-03-02', modelVersion: null },
      { score: 0.9, predictionDate: '2026-03-02', modelVersion: 'v1' },
    ]);
    expect(weekly.map((w) => `${w.modelVersion} ${w.estimate.n}`)).toEqual(['v1 1']);
  });
});
