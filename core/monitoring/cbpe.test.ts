import { describe, expect, test } from 'vitest';
import { confusionAt } from '../metrics/confusion';
import { recallOf } from '../metrics/rates';
import { mulberry32 } from '../util/seeded-random';
import { estimatePerformance, estimateWeekly, fitCbpeReference } from './cbpe';

describe('CBPE', () => {
  test('expected confusion counts and metrics from four probabilities, by hand', () => {
    const reference = fitCbpeReference([0.9, 0.2], [1, 0], 0.5);
    const e = estimatePerformance(reference, [0.9, 0.8, 0.3, 0.2]);
    // called (>= 0.5): 0.9, 0.8 -> E[TP] = 1.7, E[FP] = 0.3; not called: 0.3, 0.2 -> E[FN] = 0.5, E[TN] = 1.5.
    expect(e.expected.tp).toBeCloseTo(1.7, 14);
    expect(e.expected.fp).toBeCloseTo(0.3, 14);
    expect(e.expected.fn).toBeCloseTo(0.5, 14);
    expect(e.expected.tn).toBeCloseTo(1.5, 14);
    expect(e.recall.value).toBeCloseTo(1.7 / 2.2, 14);
    expect(e.precision.value).toBeCloseTo(1.7 / 2.0, 14);
    expect(e.fBeta.value).toBeCloseTo(8.5 / 10.8, 14); // 5·1.7 / (5·1.7 + 4·0.5 + 0.3)
  });

  test("sampling-error components as NannyML's: std of observation-level values and the relevant fraction", () => {
    // 8 reference rows at threshold 0.5: TP 3, FN 1, FP 2, TN 2.
    const probs = [0.9, 0.8, 0.7, 0.2, 0.6, 0.55, 0.1, 0.3];
    const labels = [1, 1, 1, 1, 0, 0, 0, 0];
    const r = fitCbpeReference(probs, labels, 0.5);
    expect(r.recall.std).toBeCloseTo(Math.sqrt(3 / 16), 14); // std of [1,1,1,0]
    expect(r.recall.fraction).toBe(4 / 8);
    expect(r.precision.std).toBeCloseTo(Math.sqrt(6 / 25), 14); // std of [1,1,1,0,0]
    expect(r.precision.fraction).toBe(5 / 8);
    // F2 observations over TP+FN+FP = 6 rows: [1,1,1,0,0,0] x 6 / (3 + (4·1 + 2)/5) = x 6/4.2.
    expect(r.fBeta.std).toBeCloseTo(0.5 * (6 / 4.2), 14);
    expect(r.fBeta.fraction).toBe(6 / 8);
    // Standard error for a batch of 200 rows: std / sqrt(200 · fraction); band ± 3 SE.
    const e = estimatePerformance(r, new Array(200).fill(0.7));
    expect(e.recall.standardError).toBeCloseTo(Math.sqrt(3 / 16) / Math.sqrt(100), 14);
    expect(e.recall.value).toBe(1); // nothing below the threshold: no expected misses
    expect(e.recall.upper).toBe(1);
    expect(e.recall.lower).toBeCloseTo(1 - 3 * (Math.sqrt(3 / 16) / 10), 14);
  });

  function coverage(outcomePower: number): number {
    const next = mulberry32(99);
    const uniform = () => next() / 2 ** 32;
    const draw = (n: number) => Float64Array.from({ length: n }, () => uniform() ** 1.5);
    const refProbs = draw(5000);
    const reference = fitCbpeReference(
      refProbs,
      refProbs.map((p) => (uniform() < p ? 1 : 0)),
      0.3,
    );
    let inside = 0;
    const batches = 200;
    for (let b = 0; b < batches; b++) {
      const probs = draw(400);
      // outcomePower 1: outcomes truly follow the probabilities; 2: the model is over-confident.
      const labels = probs.map((p) => (uniform() < p ** outcomePower ? 1 : 0));
      const realised = recallOf(confusionAt(probs, labels, 0.3));
      const e = estimatePerformance(reference, probs);
      if (
        e.recall.lower !== null &&
        e.recall.upper !== null &&
        realised >= e.recall.lower &&
        realised <= e.recall.upper
      )
        inside++;
    }
    return inside / batches;
  }

  test('with calibrated probabilities, realised recall falls inside the ±3 SE band in about 99% of batches', () => {
    expect(coverage(1)).toBeGreaterThanOrEqual(0.97);
  });

  test('with miscalibrated probabilities the band no longer covers the realised recall', () => {
    expect(coverage(2)).toBeLessThan(0.6);
  });

  test('estimateWeekly groups every prediction by ISO week and model version, skipping versions without a reference', () => {
    const reference = fitCbpeReference([0.9, 0.2], [1, 0], 0.5);
    const weekly = estimateWeekly({ 'v1.0.0': reference }, [
      { score: 0.9, predictionDate: '2026-03-02', modelVersion: 'v1.0.0' },
      { score: 0.3, predictionDate: '2026-03-08T20:00:00Z', modelVersion: 'v1.0.0' },
      { score: 0.8, predictionDate: '2026-03-09', modelVersion: 'v1.0.0' },
      { score: 0.7, predictionDate: '2026-03-03', modelVersion: 'v0.9.0' },
      { score: 0.7, predictionDate: '2026-03-03', modelVersion: null },
    ]);
    expect(weekly.map((w) => [w.week, w.modelVersion, w.estimate.n])).toEqual([
      ['2026-W10', 'v1.0.0', 2],
      ['2026-W11', 'v1.0.0', 1],
    ]);
    expect(weekly[0].estimate.recall.value).toBeCloseTo(0.9 / 1.2, 14);
  });

  test('probabilities outside [0, 1] are refused', () => {
    const r = fitCbpeReference([0.9, 0.2], [1, 0], 0.5);
    expect(() => estimatePerformance(r, [0.5, Number.NaN])).toThrow('CBPE: probability at index 1 is NaN');
  });
});
