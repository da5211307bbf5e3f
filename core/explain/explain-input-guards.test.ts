import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { flagBorderline, isBorderline } from './borderline';
import {
  foldBatch,
  foldContributions,
  interactionReferenceFromMedians,
  interactionReferenceFromSample,
  interactionShares,
} from './fold-contributions';
import { meanAbsShap, sampleRowIndices, shapSummary } from './global-importance';
import { explainReasons, formatFeatureValue, inputsOfRow, topReasons } from './reason-codes';

describe('borderline settings and scores at their limits', () => {
  test('threshold and scores may be exactly 0 or 1; the band may be exactly 0 or 0.5', () => {
    expect(isBorderline(0, 0, 0)).toBe(true);
    expect(isBorderline(1, 1, 0)).toBe(true);
    expect(isBorderline(1, 0.5, 0.5)).toBe(true);
    expect(Array.from(flagBorderline([0, 1, 0.5], 0.5, 0.5))).toEqual([1, 1, 1]);
    expect(Array.from(flagBorderline([0.4, 0.41], 0.4, 0))).toEqual([1, 0]);
  });

  test('just outside those limits is refused, naming the value', () => {
    expect(() => isBorderline(0.5, -0.01)).toThrow('threshold must be in [0, 1], got -0.01');
    expect(() => isBorderline(0.5, Number.NaN)).toThrow('threshold must be in [0, 1], got NaN');
    expect(() => isBorderline(0.5, 0.4, 0.51)).toThrow('borderline band must be in [0, 0.5], got 0.51');
    expect(() => isBorderline(-0.01, 0.4)).toThrow('score is not a probability: -0.01');
    expect(() => isBorderline(1.01, 0.4)).toThrow('score is not a probability: 1.01');
    expect(() => flagBorderline([0.5, -0.2], 0.4)).toThrow('score at row 1 is not a probability: -0.2');
  });

  test('the tolerance itself is inside the band: a distance of exactly band + 1e-12 is borderline', () => {
    expect(isBorderline(1e-12, 0, 0)).toBe(true);
    expect(Array.from(flagBorderline([1e-12, 2e-12], 0, 0))).toEqual([1, 0]);
  });

  test('the band edge is inclusive despite binary rounding, and a hair beyond it is not borderline', () => {
    // 0.4 - 0.35 is 0.05000000000000004 in binary: still on the edge of a 0.05 band.
    expect(isBorderline(0.35, 0.4)).toBe(true);
    expect(isBorderline(0.45, 0.4)).toBe(true);
    expect(isBorderline(0.35 - 1e-9, 0.4)).toBe(false);
    expect(Array.from(flagBorderline([0.35 - 1e-9, 0.45 + 1e-9], 0.4))).toEqual([0, 0]);
  });

  test('Pima Glucose scaled to [0, 1]: flags agree with |score - threshold| <= band, row by row', () => {
    const glucose = loadPimaColumns().raw.Glucose;
    const max = Math.max(...glucose);
    const scores = glucose.map((g) => g / max);
    const threshold = 0.6;
    const band = 0.05;
    const flags = flagBorderline(scores, threshold, band);
    let flagged = 0;
    for (let i = 0; i < scores.length; i++) {
      // Glucose is whole, so no score sits within rounding of the edges: the plain definition decides.
      const expected = Math.abs(scores[i] - threshold) <= band ? 1 : 0;
      expect(flags[i]).toBe(expected);
      expect(isBorderline(scores[i], threshold, band)).toBe(expected === 1);
      flagged += expected;
    }
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(scores.length);
  });

  test('an output buffer must hold every flag; a larger one is filled from the start', () => {
    expect(() => flagBorderline([0.4, 0.4, 0.4], 0.4, 0.05, new Uint8Array(2))).toThrow('output holds 2 flags, need 3');
    const out = Uint8Array.from([9, 9, 9]);
    expect(flagBorderline([0.4, 0.9], 0.4, 0.05, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 0, 9]);
  });
});

describe('global importance shapes', () => {
  const contributions = Float64Array.from([0.5, -1, 9, -0.5, 2, 9]);
  const names = ['A', 'B'];

  test('the row count must be a whole number of at least 1', () => {
    for (const rowCount of [0, -1, 1.5, Number.NaN]) {
      expect(() => meanAbsShap(contributions, rowCount, names)).toThrow(`rowCount must be >= 1, got ${rowCount}`);
    }
    expect(meanAbsShap(contributions, 1, names).map((f) => f.feature)).toEqual(['B', 'A']);
  });

  test('the summary needs one value column per feature', () => {
    expect(() => shapSummary(contributions, 2, names, [Float64Array.of(1, 2)])).toThrow(
      'expected 2 value columns, got 1',
    );
  });

  test('points are asked for in whole numbers of at least 1; a fraction is rounded down', () => {
    expect(() => sampleRowIndices(10, 0)).toThrow('maxPoints must be >= 1, got 0');
    expect(() => sampleRowIndices(10, Number.NaN)).toThrow('maxPoints must be >= 1, got NaN');
    expect(Array.from(sampleRowIndices(10, 1))).toEqual([0]);
    expect(Array.from(sampleRowIndices(10, 2.9))).toEqual([0, 5]);
  });
});

describe('folding inputs', () => {
  const reference = { glucose: 117, bmi: 32.3 };

  test('the reference sample counts only finite, positive values, for Glucose and BMI alike', () => {
    // Measured Glucose 100 and 120 (median 110); 0, NaN and Infinity are not measurements.
    expect(interactionReferenceFromSample([0, 100, Number.POSITIVE_INFINITY, 120, Number.NaN], [30])).toEqual({
      glucose: 110,
      bmi: 30,
    });
    expect(() => interactionReferenceFromSample([100], [0, Number.NaN, Number.POSITIVE_INFINITY])).toThrow(
      'the reference sample has no measured Glucose or BMI values',
    );
  });

  test('a reference BMI must be positive too', () => {
    expect(() => interactionReferenceFromMedians({ Glucose: 117, BMI: 0 })).toThrow(
      'interaction reference must be positive: Glucose 117, BMI 0',
    );
    expect(() => foldContributions(new Float64Array(12), 100, 30, { glucose: 117, bmi: -1 })).toThrow(
      'interaction reference must be positive: Glucose 117, BMI -1',
    );
  });

  test('an infinite input is not a measurement: it counts as at the reference', () => {
    expect(interactionShares(Number.POSITIVE_INFINITY, 40, reference)).toEqual({ glucose: 0, bmi: 1 });
    expect(interactionShares(180, Number.POSITIVE_INFINITY, reference)).toEqual({ glucose: 1, bmi: 0 });
  });

  test('a batch needs 12 contributions and a Glucose and BMI value per row; exact sizes are enough', () => {
    const two = new Float64Array(24).fill(0.25);
    const out = new Float64Array(18);
    expect(() => foldBatch(two.subarray(0, 23), 2, [100, 90], [30, 20], reference, out)).toThrow(
      'contributions hold 23 values, need 2 x 12',
    );
    expect(() => foldBatch(two, 2, [100], [30, 20], reference, out)).toThrow('Glucose and BMI need 2 values each');
    expect(() => foldBatch(two, 2, [100, 90], [30], reference, out)).toThrow('Glucose and BMI need 2 values each');
    // A reused buffer's old contents must not leak into the folded values.
    out.fill(5);
    expect(foldBatch(two, 2, [100, 90], [30, 20], reference, out)).toBe(out);
    // Each row: 8 inputs share 11 contributions of 0.25 (BMI gets BMI_Category, Age gets Age_Group) and the
    // expected value stays 0.25; every row's entries sum to 12 x 0.25.
    for (let r = 0; r < 2; r++) {
      const row = Array.from(out.subarray(r * 9, r * 9 + 9));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
      expect(row[8]).toBe(0.25);
    }
    const single = new Float64Array(9).fill(5);
    foldContributions(two.subarray(0, 12), 100, 30, reference, single);
    expect(Array.from(single)).toEqual(Array.from(out.subarray(0, 9)));
  });

  test('only rowCount rows are folded, even when every buffer holds more', () => {
    const pima = loadPimaColumns();
    // Three Pima patients' Glucose and BMI and contributions for three rows, but a batch of two: the third row of
    // a caller's reused buffer belongs to someone else and must keep its contents.
    const glucose = pima.raw.Glucose.slice(0, 3);
    const bmi = pima.raw.BMI.slice(0, 3);
    const contributions = Float64Array.from({ length: 36 }, (_, i) => (i % 12) / 10 - 0.3);
    const out = new Float64Array(27).fill(7);
    foldBatch(contributions, 2, glucose, bmi, reference, out);
    expect(Array.from(out.subarray(18))).toEqual(new Array(9).fill(7));
    for (let r = 0; r < 2; r++) {
      const expected = foldContributions(contributions.subarray(r * 12, r * 12 + 12), glucose[r], bmi[r], reference);
      expect(Array.from(out.subarray(r * 9, r * 9 + 9))).toEqual(Array.from(expected));
    }
  });
});

describe('reason inputs', () => {
  const pima = loadPimaColumns();
  // Row 0 of the Pima file, read independently of the product's ingest.
  const first = inputsOfRow(pima.raw, 0);
  const folded = [0.2, 1.1, 0.004, -0.05, 0.08, -0.6, 0.3, 0.25, -1.2];

  test('inputsOfRow reads one row of every input column', () => {
    for (const r of [0, 5, pima.rowCount - 1]) {
      const row = inputsOfRow(pima.raw, r);
      expect(Object.keys(row)).toEqual(Object.keys(pima.raw));
      for (const [name, column] of Object.entries(pima.raw)) expect(row[name as keyof typeof row]).toBe(column[r]);
    }
  });

  test('fewer than 9 folded entries, or a neutral band that is not a number, are refused', () => {
    expect(() => explainReasons(folded.slice(0, 8), first)).toThrow('expected 9 folded entries, got 8');
    expect(() => explainReasons(folded, first, { neutralEpsilon: Number.NaN })).toThrow(
      'neutralEpsilon must be >= 0, got NaN',
    );
  });

  test('with no neutral band, an effect of exactly 0 does not raise the risk', () => {
    const reasons = explainReasons([0, 0, 0, 0, 0, 0, 0, 0, -1], first, { neutralEpsilon: 0 });
    expect(reasons.map((r) => r.direction)).not.toContain('raises');
  });

  test('an effect exactly at the neutral band counts; just inside it is neutral', () => {
    const effects = [0.01, -0.01, 0.0099, -0.0099, 0, 0, 0, 0, 0];
    const byFeature = new Map(explainReasons(effects, first).map((r) => [r.feature, r.direction]));
    expect([...byFeature.entries()].slice(0, 4)).toEqual([
      ['Pregnancies', 'raises'],
      ['Glucose', 'lowers'],
      ['BloodPressure', 'neutral'],
      ['SkinThickness', 'neutral'],
    ]);
  });

  test('a value that is not recorded reads so; the worklist takes as many reasons as asked', () => {
    expect(formatFeatureValue('Glucose', null)).toBe('not recorded');
    expect(formatFeatureValue('Glucose', Number.NaN)).toBe('not recorded');
    const reasons = explainReasons(folded, first);
    expect(topReasons(reasons, 5).map((r) => r.feature)).toEqual([
      'Glucose',
      'BMI',
      'DiabetesPedigreeFunction',
      'Age',
      'Pregnancies',
    ]);
    expect(topReasons(reasons, 0)).toEqual([]);
  });
});
