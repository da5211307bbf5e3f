import { describe, expect, test } from 'vitest';
import { chi2Contingency, chiSquareFromCounts } from './chi-square-test';
import { datasetVerdict } from './dataset-verdict';
import { KS_MAX_EXACT_N, ksTwoSample } from './ks-test';

// Deterministic samples that Python builds from the same expressions, so scipy's figures below are for these exact
// values: ref[i] = (i * 0.6180339887) % 1, cur[j] = ((j * 0.41421356) % 1) * 0.98 + 0.01 (and a skewed variant).
const fractional = (i: number, step: number) => (i * step) % 1;
const reference = Float64Array.from({ length: 12000 }, (_, i) => fractional(i, 0.6180339887));
const similar = Float64Array.from({ length: 3000 }, (_, j) => fractional(j, 0.41421356) * 0.98 + 0.01);
const skewed = Float64Array.from({ length: 3000 }, (_, j) => {
  const u = fractional(j, 0.41421356);
  return u * u * 0.9 + 0.05;
});

describe('KS test beyond the exact range', () => {
  test('more than KS_MAX_EXACT_N observations in one sample switches to the asymptotic distribution', () => {
    expect(reference.length).toBeGreaterThan(KS_MAX_EXACT_N);
    // scipy.stats.ks_2samp(reference, similar, method='auto'): D 0.010333333333333417, p 0.957487406641455
    const result = ksTwoSample(reference, similar);
    expect(result.mode).toBe('asymp');
    expect(result.statistic).toBeCloseTo(0.010333333333333417, 12);
    expect(result.pValue).toBeCloseTo(0.957487406641455, 9);
  });

  test('a clearly different sample has a vanishing asymptotic p-value', () => {
    // scipy: D 0.22825000000000006, p 2.219659359596455e-110
    const result = ksTwoSample(reference, skewed);
    expect(result.mode).toBe('asymp');
    expect(result.statistic).toBeCloseTo(0.22825, 12);
    expect(result.pValue).toBeLessThan(1e-100);
    expect(result.pValue).toBeGreaterThanOrEqual(0);
  });

  test('both samples within KS_MAX_EXACT_N use the exact distribution', () => {
    // scipy.stats.ks_2samp(reference[:9000], similar, method='auto'): D 0.010222222222222223, p 0.9718819291920695
    const result = ksTwoSample(reference.subarray(0, 9000), similar);
    expect(result.mode).toBe('exact');
    expect(result.statistic).toBeCloseTo(0.010222222222222223, 14);
    expect(result.pValue).toBeCloseTo(0.9718819291920695, 9);
  });

  test('an empty sample after dropping NaN is refused', () => {
    expect(() => ksTwoSample([1, 2, 3], [Number.NaN])).toThrow(/at least one non-missing value/);
  });
});

describe('dataset verdict rules', () => {
  const features = (drifted: number, total: number) =>
    Array.from({ length: total }, (_, i) => ({ drifted: i < drifted }));

  test("rule 'count' follows the count alone, whatever the share", () => {
    // 2 of 12 drifted: share 0.17 under 0.5, count 2 at the threshold of 2.
    const countOnly = datasetVerdict(features(2, 12), { rule: 'count', shareThreshold: 0.5, countThreshold: 2 });
    expect(countOnly).toMatchObject({ shareRule: false, countRule: true, drifted: true });
    // 5 of 6 drifted: share rule holds, count rule (threshold 6) does not: 'count' must say no drift.
    const shareOnly = datasetVerdict(features(5, 6), { rule: 'count', shareThreshold: 0.5, countThreshold: 6 });
    expect(shareOnly).toMatchObject({ shareRule: true, countRule: false, drifted: false });
  });

  test("rule 'share' follows the share alone", () => {
    expect(datasetVerdict(features(2, 12), { rule: 'share', shareThreshold: 0.5, countThreshold: 2 }).drifted).toBe(
      false,
    );
    expect(datasetVerdict(features(5, 6), { rule: 'share', shareThreshold: 0.5, countThreshold: 6 }).drifted).toBe(
      true,
    );
  });

  test("rule 'both' needs both, 'either' needs one", () => {
    const config = { shareThreshold: 0.5, countThreshold: 3 };
    expect(datasetVerdict(features(2, 3), { ...config, rule: 'both' }).drifted).toBe(false);
    expect(datasetVerdict(features(3, 4), { ...config, rule: 'both' }).drifted).toBe(true);
    expect(datasetVerdict(features(2, 3), { ...config, rule: 'either' }).drifted).toBe(true);
    expect(datasetVerdict(features(3, 12), { ...config, rule: 'either' }).drifted).toBe(true);
    expect(datasetVerdict(features(1, 12), { ...config, rule: 'either' }).drifted).toBe(false);
  });

  test('no features means no drift under every rule, with share 0', () => {
    for (const rule of ['share', 'count', 'both', 'either'] as const) {
      expect(datasetVerdict([], { rule, shareThreshold: 0, countThreshold: 0 })).toMatchObject({
        featureCount: 0,
        share: 0,
        drifted: false,
      });
    }
  });
});

describe('chi-square contingency edges', () => {
  test('an empty table is refused', () => {
    expect(() => chi2Contingency([])).toThrow(/empty table/);
    expect(() => chi2Contingency([[]])).toThrow(/empty table/);
  });

  test('a ragged table is refused', () => {
    expect(() => chi2Contingency([[1, 2], [3]])).toThrow(/ragged/);
  });

  test.each([-1, Number.NaN])('a count of %s is refused with its cell', (bad) => {
    expect(() =>
      chi2Contingency([
        [1, 2],
        [3, bad],
      ]),
    ).toThrow(/cell \[1\]\[1\] is .*counts must be >= 0/);
  });

  test('a single row or column has no degree of freedom: statistic 0, p 1', () => {
    expect(chi2Contingency([[4, 6, 9]])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
    expect(chi2Contingency([[4], [6]])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  test('an empty row makes an expected count 0, which is refused', () => {
    expect(() =>
      chi2Contingency([
        [0, 0],
        [3, 4],
      ]),
    ).toThrow(/expected count of cell \[0\]\[0\] is 0/);
  });

  test("Yates' correction on a 2 x 2 table, and none when switched off", () => {
    // scipy.stats.chi2_contingency([[10, 0], [5, 5]]): statistic 4.266666666666667, p 0.03886710381241731
    const corrected = chi2Contingency([
      [10, 0],
      [5, 5],
    ]);
    expect(corrected.dof).toBe(1);
    expect(corrected.statistic).toBeCloseTo(4.266666666666667, 12);
    expect(corrected.pValue).toBeCloseTo(0.03886710381241731, 10);
    // Without correction: sum (o - e)^2 / e with e = 7.5, 2.5: 2·(2.5²/7.5) + 2·(2.5²/2.5) = 6.666...
    expect(
      chi2Contingency(
        [
          [10, 0],
          [5, 5],
        ],
        false,
      ).statistic,
    ).toBeCloseTo(20 / 3, 12);
  });

  test('no continuity correction beyond one degree of freedom', () => {
    // scipy.stats.chi2_contingency([[10, 2, 5], [3, 8, 6]]) (dof 2, so uncorrected): statistic 7.4601398601398605, p 0.023991158074684982
    const result = chi2Contingency([
      [10, 2, 5],
      [3, 8, 6],
    ]);
    expect(result.dof).toBe(2);
    expect(result.statistic).toBeCloseTo(7.4601398601398605, 12);
    expect(result.pValue).toBeCloseTo(0.023991158074684982, 10);
  });

  test('goodness of fit: one shared category is no drift; a new category is infinite', () => {
    expect(chiSquareFromCounts(new Map([[1, 5]]), new Map([[1, 9]]))).toEqual({ statistic: 0, pValue: 1, dof: 0 });
    const novel = chiSquareFromCounts(
      new Map([[1, 5]]),
      new Map([
        [1, 4],
        [2, 1],
      ]),
    );
    expect(novel).toEqual({ statistic: Number.POSITIVE_INFINITY, pValue: 0, dof: 1 });
    expect(() => chiSquareFromCounts(new Map(), new Map([[1, 1]]))).toThrow(/at least one value/);
  });
});
