import type { RiskCategory } from '../api/outputs';
import type {
  CategoryFlips,
  DecisionEstimate,
  LabelledComparison,
  McNemarResult,
  RecommendationAgreement,
  ScoreDistribution,
  SideMetrics,
} from '../api/shadow-types';
import { chi2Sf } from '../drift/chi2-distribution';
import { rocAuc } from '../metrics/roc-auc';
import { isoWeekMonday, isoWeekOf } from './iso-week';

/** Pure functions of the champion/challenger comparison: production's and the shadow's scores of the same rows. */

interface Side {
  score: number;
  category: RiskCategory;
  recommendation: 0 | 1;
}
export interface PairedScores {
  production: Side;
  shadow: Side;
}
export interface LabelledPairedScores extends PairedScores {
  outcome: 0 | 1;
  /** When production scored the patient; weeks are ISO weeks of this date. */
  predictionDate: string;
}

const ALPHA = 0.05;
/** Below this many discordant pairs the exact binomial test is used (the chi-square approximation is poor). */
const EXACT_BELOW = 25;
/** Beyond this many discordant pairs the estimate gives up: the models are too close to tell apart. */
const MAX_DISCORDANT = 1_000_000;
const HISTOGRAM_BINS = 10;

export function recommendationAgreement(pairs: readonly PairedScores[]): RecommendationAgreement {
  let agreeing = 0;
  let productionOnly = 0;
  let shadowOnly = 0;
  for (const p of pairs) {
    if (p.production.recommendation === p.shadow.recommendation) agreeing++;
    else if (p.production.recommendation === 1) productionOnly++;
    else shadowOnly++;
  }
  const n = pairs.length;
  return { n, agreeing, rate: n === 0 ? null : agreeing / n, productionOnly, shadowOnly };
}

export function categoryFlips(pairs: readonly PairedScores[]): CategoryFlips {
  const row = () => ({ High: 0, Medium: 0, Low: 0 });
  const flips: CategoryFlips = { High: row(), Medium: row(), Low: row() };
  for (const p of pairs) flips[p.production.category][p.shadow.category]++;
  return flips;
}

/** Linear interpolation between order statistics, as numpy.quantile's default. */
function quantile(sorted: Float64Array, q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function scoreDistribution(scores: ArrayLike<number>): ScoreDistribution {
  const n = scores.length;
  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
  if (n === 0) return { n, mean: null, quantiles: null, histogram };
  const sorted = Float64Array.from(scores).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i];
    histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(sorted[i] * HISTOGRAM_BINS))]++;
  }
  return {
    n,
    mean: sum / n,
    quantiles: {
      p05: quantile(sorted, 0.05),
      p25: quantile(sorted, 0.25),
      p50: quantile(sorted, 0.5),
      p75: quantile(sorted, 0.75),
      p95: quantile(sorted, 0.95),
    },
    histogram,
  };
}

export function sideMetrics(rows: readonly { outcome: 0 | 1; side: Side }[]): SideMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { outcome, side } of rows) {
    if (outcome === 1) {
      if (side.recommendation === 1) tp++;
      else fn++;
    } else if (side.recommendation === 1) fp++;
    else tn++;
  }
  const auc =
    rows.length === 0
      ? Number.NaN
      : rocAuc(
          rows.map((r) => r.side.score),
          rows.map((r) => r.outcome),
        );
  const f2Denominator = 5 * tp + 4 * fn + fp;
  return {
    tp,
    fp,
    fn,
    tn,
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    f2: f2Denominator === 0 ? null : (5 * tp) / f2Denominator,
    auc: Number.isNaN(auc) ? null : auc,
  };
}

/** Two-sided exact binomial p-value of k or fewer successes in n trials at p = 1/2, doubled and capped at 1. */
function exactBinomialTwoSided(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let tail = term;
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i;
    tail += term;
  }
  return Math.min(1, 2 * tail);
}

/** McNemar's test from the discordant counts (b: only production right, c: only the shadow right). */
export function mcnemarTest(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`discordant counts must be non-negative integers, got ${b} and ${c}`);
  }
  if (b + c < EXACT_BELOW) {
    return {
      productionOnlyRight: b,
      shadowOnlyRight: c,
      method: 'exact',
      statistic: null,
      pValue: exactBinomialTwoSided(b, c),
    };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / (b + c);
  return { productionOnlyRight: b, shadowOnlyRight: c, method: 'chi-square', statistic, pValue: chi2Sf(statistic, 1) };
}

function weeksSpanned(dates: readonly string[]): number {
  if (dates.length === 0) return 0;
  const mondays = dates.map((d) => Date.parse(isoWeekMonday(isoWeekOf(d))));
  const first = Math.min(...mondays);
  const last = Math.max(...mondays);
  return Math.round((last - first) / (7 * 86_400_000)) + 1;
}

/**
 * Weeks until McNemar's test reaches p < 0.05, if labels keep arriving as they have: the fewest discordant pairs N
 * for which the test, with the discordant pairs split in the ratio observed so far, gives p < 0.05; then the pairs
 * still missing divided by the discordant pairs labelled per week so far (weeks from the first to the last labelled
 * prediction). It assumes the ratio holds; it cannot say when there is no discordant pair yet or the split is even.
 */
export function weeksToDecision(mcnemar: McNemarResult, predictionDates: readonly string[]): DecisionEstimate {
  const b = mcnemar.productionOnlyRight;
  const c = mcnemar.shadowOnlyRight;
  const discordant = b + c;
  const weeksObserved = weeksSpanned(predictionDates);
  const perWeek = weeksObserved === 0 ? null : discordant / weeksObserved;
  const base = { weeksObserved, discordantPerWeek: perWeek };
  if (mcnemar.pValue < ALPHA) {
    return {
      ...base,
      decided: b > c ? 'production' : 'shadow',
      discordantNeeded: discordant,
      weeksNeeded: 0,
      reason: `McNemar p = ${mcnemar.pValue.toPrecision(3)} < ${ALPHA}: decided on ${discordant} discordant pairs`,
    };
  }
  if (discordant === 0 || perWeek === null) {
    return {
      ...base,
      decided: null,
      discordantNeeded: null,
      weeksNeeded: null,
      reason: 'no labelled patient on whom the two models disagree yet',
    };
  }
  if (b === c) {
    return {
      ...base,
      decided: null,
      discordantNeeded: null,
      weeksNeeded: null,
      reason: `the discordant pairs split evenly (${b} each): at this ratio the test never decides`,
    };
  }
  const ratio = b / discordant;
  let needed: number | null = null;
  for (let n = discordant + 1; n <= MAX_DISCORDANT; n++) {
    const nb = Math.round(ratio * n);
    if (mcnemarTest(nb, n - nb).pValue < ALPHA) {
      needed = n;
      break;
    }
  }
  if (needed === null) {
    return {
      ...base,
      decided: null,
      discordantNeeded: null,
      weeksNeeded: null,
      reason: `at the observed split (${b}:${c}) more than ${MAX_DISCORDANT} discordant pairs would be needed`,
    };
  }
  return {
    ...base,
    decided: null,
    discordantNeeded: needed,
    weeksNeeded: Math.ceil((needed - discordant) / perWeek),
    reason: `${needed} discordant pairs needed at the observed split ${b}:${c}; ${discordant} so far, ${perWeek.toFixed(1)} a week`,
  };
}

/** Realised recall, precision, F2 and AUC of both models on the same labelled patients, and the paired test. */
export function compareLabelled(pairs: readonly LabelledPairedScores[]): LabelledComparison {
  let b = 0;
  let c = 0;
  let positives = 0;
  for (const p of pairs) {
    if (p.outcome === 1) positives++;
    const productionRight = p.production.recommendation === p.outcome;
    const shadowRight = p.shadow.recommendation === p.outcome;
    if (productionRight && !shadowRight) b++;
    else if (shadowRight && !productionRight) c++;
  }
  const mcnemar = mcnemarTest(b, c);
  return {
    labelledPatients: pairs.length,
    positives,
    production: sideMetrics(pairs.map((p) => ({ outcome: p.outcome, side: p.production }))),
    shadow: sideMetrics(pairs.map((p) => ({ outcome: p.outcome, side: p.shadow }))),
    mcnemar,
    decision: weeksToDecision(
      mcnemar,
      pairs.map((p) => p.predictionDate),
    ),
  };
}

export function compareUnlabelled(pairs: readonly PairedScores[]) {
  return {
    agreement: recommendationAgreement(pairs),
    flips: categoryFlips(pairs),
    distributions: {
      production: scoreDistribution(pairs.map((p) => p.production.score)),
      shadow: scoreDistribution(pairs.map((p) => p.shadow.score)),
    },
  };
}
