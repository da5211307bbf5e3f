import { describe, expect, test } from 'vitest';
import type { RiskCategory } from '../api/outputs';
import {
  categoryFlips,
  compareLabelled,
  type LabelledPairedScores,
  mcnemarTest,
  type PairedScores,
  recommendationAgreement,
  scoreDistribution,
  sideMetrics,
  weeksToDecision,
} from './shadow-comparison';

/**
 * The comparison's maths on constructed cases whose answers are derived here another way: counted by hand (in the
 * comments), binomial tails summed in exact integer arithmetic, the chi-square tail by numerical integration of
 * the normal density, AUC by counting every positive-negative pair.
 */

const side = (score: number, category: RiskCategory, threshold = 0.5) => ({
  score,
  category,
  recommendation: (score >= threshold ? 1 : 0) as 0 | 1,
});

/** P(X <= k) for X ~ Binomial(n, 1/2), two-sided and capped at 1, with BigInt binomial coefficients. */
function exactTwoSided(b: number, c: number): number {
  const n = BigInt(b + c);
  const k = BigInt(Math.min(b, c));
  let choose = 1n;
  let sum = 0n;
  for (let i = 0n; i <= k; i++) {
    if (i > 0n) choose = (choose * (n - i + 1n)) / i;
    sum += choose;
  }
  return Math.min(1, (2 * Number(sum)) / 2 ** Number(n));
}

/** P(chi2_1 > x) = 2 (1 - Phi(sqrt x)) = 2 * integral of the normal density from sqrt(x) to 40, by Simpson's rule. */
function chiSquare1Tail(x: number): number {
  const a = Math.sqrt(x);
  const b = 40;
  const steps = 200_000;
  const h = (b - a) / steps;
  const f = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(a) + f(b);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return 2 * ((sum * h) / 3);
}

describe('recommendation agreement and category flips', () => {
  // production categories H H H M M L L L, shadow H M M M L L H L
  const categories: [RiskCategory, RiskCategory][] = [
    ['High', 'High'],
    ['High', 'Medium'],
    ['High', 'Medium'],
    ['Medium', 'Medium'],
    ['Medium', 'Low'],
    ['Low', 'Low'],
    ['Low', 'High'],
    ['Low', 'Low'],
  ];
  // Recommendation: High -> 1, otherwise 0 (threshold between Medium and High in this construction).
  const pairs: PairedScores[] = categories.map(([p, s]) => ({
    production: { score: 0, category: p, recommendation: p === 'High' ? 1 : 0 },
    shadow: { score: 0, category: s, recommendation: s === 'High' ? 1 : 0 },
  }));

  test('the flip matrix counts each production category against the shadow one', () => {
    expect(categoryFlips(pairs)).toEqual({
      High: { High: 1, Medium: 2, Low: 0 },
      Medium: { High: 0, Medium: 1, Low: 1 },
      Low: { High: 1, Medium: 0, Low: 2 },
    });
  });

  test('agreement: rows 1, 4, 5, 6 and 8 agree; 2 and 3 only production recommends; 7 only the shadow', () => {
    expect(recommendationAgreement(pairs)).toEqual({
      n: 8,
      agreeing: 5,
      rate: 5 / 8,
      productionOnly: 2,
      shadowOnly: 1,
    });
  });

  test('no pairs: rate is null, not NaN', () => {
    expect(recommendationAgreement([]).rate).toBeNull();
  });
});

describe('score distribution', () => {
  test('quantiles interpolate between order statistics; the histogram has ten bins of 0.1, 1.0 in the last', () => {
    // sorted 0.05 0.1 0.35 0.4 0.8 1.0; positions (n-1)q = 5q: p05 at 0.25 -> 0.05 + 0.25 * 0.05 = 0.0625,
    // p25 at 1.25 -> 0.1 + 0.25 * 0.25 = 0.1625, p50 at 2.5 -> 0.375, p75 at 3.75 -> 0.4 + 0.75 * 0.4 = 0.7,
    // p95 at 4.75 -> 0.8 + 0.75 * 0.2 = 0.95.
    const d = scoreDistribution([0.4, 0.1, 1.0, 0.35, 0.8, 0.05]);
    expect(d.n).toBe(6);
    expect(d.mean).toBeCloseTo(2.7 / 6, 12);
    expect(d.quantiles?.p05).toBeCloseTo(0.0625, 12);
    expect(d.quantiles?.p25).toBeCloseTo(0.1625, 12);
    expect(d.quantiles?.p50).toBeCloseTo(0.375, 12);
    expect(d.quantiles?.p75).toBeCloseTo(0.7, 12);
    expect(d.quantiles?.p95).toBeCloseTo(0.95, 12);
    // Bins [0, 0.1): 0.05; [0.1, 0.2): 0.1; [0.3, 0.4): 0.35; [0.4, 0.5): 0.4; [0.8, 0.9): 0.8; the last: 1.0.
    expect(d.histogram).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 1, 1]);
  });

  test('no scores: no mean or quantiles, an empty histogram', () => {
    expect(scoreDistribution([])).toEqual({ n: 0, mean: null, quantiles: null, histogram: new Array(10).fill(0) });
  });
});

describe("McNemar's test", () => {
  test.each([
    [1, 7],
    [0, 6],
    [3, 3],
    [2, 10],
    [12, 12],
    [0, 0],
  ])('exact two-sided binomial below 25 discordant pairs (b=%i, c=%i)', (b, c) => {
    const result = mcnemarTest(b, c);
    expect(result.method).toBe('exact');
    expect(result.statistic).toBeNull();
    expect(result.pValue).toBeCloseTo(exactTwoSided(b, c), 14);
  });

  test('exact by hand: b=1, c=7 gives 2 (1 + 8) / 256', () => {
    expect(mcnemarTest(1, 7).pValue).toBe(18 / 256);
  });

  test.each([
    [10, 25],
    [40, 60],
    [13, 12],
    [100, 180],
  ])('chi-square with continuity correction from 25 discordant pairs (b=%i, c=%i)', (b, c) => {
    const result = mcnemarTest(b, c);
    expect(result.method).toBe('chi-square');
    const statistic = (Math.abs(b - c) - 1) ** 2 / (b + c);
    expect(result.statistic).toBeCloseTo(statistic, 12);
    expect(result.pValue).toBeCloseTo(chiSquare1Tail(statistic), 8);
  });

  test('negative or fractional counts are refused', () => {
    expect(() => mcnemarTest(-1, 3)).toThrow(RangeError);
    expect(() => mcnemarTest(1.5, 3)).toThrow(RangeError);
  });
});

describe('recall, precision, F2 and AUC of both models on the same patients', () => {
  const outcomes: (0 | 1)[] = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
  const productionScores = [0.9, 0.8, 0.3, 0.6, 0.7, 0.2, 0.1, 0.4, 0.35, 0.05];
  const shadowScores = [0.95, 0.55, 0.52, 0.45, 0.3, 0.6, 0.1, 0.2, 0.58, 0.05];
  const pairs: LabelledPairedScores[] = outcomes.map((outcome, i) => ({
    outcome,
    predictionDate: '2026-11-02T08:00:00.000Z',
    production: side(productionScores[i], 'Low'),
    shadow: side(shadowScores[i], 'Low'),
  }));

  /** AUC counted over every positive-negative pair, ties one half. */
  function pairAuc(scores: number[]): number {
    let wins = 0;
    let total = 0;
    outcomes.forEach((o, i) => {
      if (o !== 1) return;
      outcomes.forEach((o2, j) => {
        if (o2 !== 0) return;
        total++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      });
    });
    return wins / total;
  }

  test('each side at its recommendation, counted by hand', () => {
    const result = compareLabelled(pairs);
    // production recommends rows 1, 2, 4, 5: tp 3 (1, 2, 4), fn 1 (3), fp 1 (5), tn 5.
    expect(result.production).toMatchObject({ tp: 3, fn: 1, fp: 1, tn: 5, recall: 0.75, precision: 0.75 });
    expect(result.production.f2).toBeCloseTo(15 / 20, 12);
    // shadow recommends rows 1, 2, 3, 6, 9: tp 3 (1, 2, 3), fn 1 (4), fp 2 (6, 9), tn 4.
    expect(result.shadow).toMatchObject({ tp: 3, fn: 1, fp: 2, tn: 4, recall: 0.75, precision: 0.6 });
    expect(result.shadow.f2).toBeCloseTo(15 / 21, 12);
    expect(result.production.auc).toBeCloseTo(pairAuc(productionScores), 12);
    expect(result.shadow.auc).toBeCloseTo(pairAuc(shadowScores), 12);
    expect(result.production.auc).toBeCloseTo(20 / 24, 12);
    expect(result.labelledPatients).toBe(10);
    expect(result.positives).toBe(4);
  });

  test('the paired test counts who is right where they disagree', () => {
    // Disagreeing rows: 3 (shadow right), 4 (production right), 5 (shadow right: 0), 6 (production right),
    // 9 (production right). b = 3 (production only right), c = 2.
    const result = compareLabelled(pairs);
    expect(result.mcnemar.productionOnlyRight).toBe(3);
    expect(result.mcnemar.shadowOnlyRight).toBe(2);
    expect(result.mcnemar.pValue).toBe(1);
  });

  test('one class only: AUC is null, recall or precision null where undefined', () => {
    const negatives = sideMetrics([{ outcome: 0, side: side(0.2, 'Low') }]);
    expect(negatives).toMatchObject({ recall: null, precision: null, auc: null, f2: null, tn: 1 });
  });
});

describe('weeks needed to reach a decision', () => {
  const twoWeeks = ['2026-11-02T08:00:00.000Z', '2026-11-12T08:00:00.000Z'];

  test('b=2, c=8 over two ISO weeks: 12 discordant pairs needed, 2 more at 5 a week is 1 week', () => {
    // At the ratio 0.2: n=11 splits 2:9, p = 2 (1 + 11 + 55) / 2048 = 0.065; n=12 splits 2:10,
    // p = 2 (1 + 12 + 66) / 4096 = 0.039 < 0.05.
    expect(exactTwoSided(2, 9)).toBeGreaterThan(0.05);
    expect(exactTwoSided(2, 10)).toBeLessThan(0.05);
    const estimate = weeksToDecision(mcnemarTest(2, 8), twoWeeks);
    expect(estimate).toMatchObject({
      decided: null,
      weeksObserved: 2,
      discordantPerWeek: 5,
      discordantNeeded: 12,
      weeksNeeded: 1,
    });
  });

  test('the needed count is the first n at the observed ratio where the test reaches p < 0.05', () => {
    const b = 30;
    const c = 45;
    const estimate = weeksToDecision(mcnemarTest(b, c), ['2026-10-05', '2026-11-30']);
    const needed = estimate.discordantNeeded as number;
    const split = (n: number) => Math.round((b / (b + c)) * n);
    const p = (n: number) => chiSquare1Tail((Math.abs(2 * split(n) - n) - 1) ** 2 / n);
    expect(p(needed)).toBeLessThan(0.05);
    for (let n = b + c + 1; n < needed; n++) expect(p(n)).toBeGreaterThanOrEqual(0.05);
    // 2026-W41 to 2026-W49: 9 weeks.
    expect(estimate.weeksObserved).toBe(9);
    expect(estimate.weeksNeeded).toBe(Math.ceil((needed - 75) / (75 / 9)));
  });

  test('already significant: decided, for the model that was right more often', () => {
    expect(weeksToDecision(mcnemarTest(0, 6), twoWeeks)).toMatchObject({ decided: 'shadow', weeksNeeded: 0 });
    expect(weeksToDecision(mcnemarTest(40, 15), twoWeeks)).toMatchObject({ decided: 'production', weeksNeeded: 0 });
  });

  test('no discordant pair, or an even split: it cannot say, and says why', () => {
    const none = weeksToDecision(mcnemarTest(0, 0), twoWeeks);
    expect(none.weeksNeeded).toBeNull();
    expect(none.reason).toMatch(/disagree/);
    const even = weeksToDecision(mcnemarTest(4, 4), twoWeeks);
    expect(even.weeksNeeded).toBeNull();
    expect(even.reason).toMatch(/evenly/);
  });
});
