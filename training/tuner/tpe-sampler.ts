import { Random } from '../../core/util/seeded-random';
import type { ParamSpec, TunedParams } from './search-space';

/**
 * Tree-structured Parzen Estimator in the manner of Optuna's TPESampler defaults (independent sampling,
 * n_startup_trials 10, n_ei_candidates 24, gamma(n) = min(ceil(0.1 n), 25), default_weights, prior_weight 1,
 * consider_magic_clip, no endpoints). Integers are searched as continuous on [low - 0.5, high + 0.5] and
 * rounded; log parameters in log space. Deterministic for a seed and a history.
 */
export interface SamplerTrial {
  params: TunedParams;
  state: 'complete' | 'infeasible' | 'failed';
  /** Objective (maximised) of complete and infeasible trials. */
  value: number | null;
  /** Sum of constraint violations (0 when feasible). */
  violation: number;
}

interface TpeOptions {
  seed: number;
  nStartupTrials?: number;
  nEiCandidates?: number;
  priorWeight?: number;
}

export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default_weights: flat for the newest 25, a linear ramp for older observations. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array(n).fill(1);
  const rampLength = n - 25;
  const ramp: number[] = [];
  for (let i = 0; i < rampLength; i++)
    ramp.push(rampLength === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (rampLength - 1));
  return [...ramp, ...new Array(25).fill(1)];
}

interface Bounds {
  low: number;
  high: number;
}

export function transformedBounds(spec: ParamSpec): Bounds {
  const low = spec.int ? spec.low - 0.5 : spec.low;
  const high = spec.int ? spec.high + 0.5 : spec.high;
  return spec.log ? { low: Math.log(Math.max(low, 1e-12)), high: Math.log(high) } : { low, high };
}

export function toTransformed(spec: ParamSpec, value: number): number {
  return spec.log ? Math.log(value) : value;
}

export function fromTransformed(spec: ParamSpec, t: number): number {
  let v = spec.log ? Math.exp(t) : t;
  if (spec.int) v = Math.round(v);
  return Math.min(spec.high, Math.max(spec.low, v));
}

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc, Chebyshev fit). */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

interface Parzen {
  mus: number[];
  sigmas: number[];
  weights: number[];
  bounds: Bounds;
}

function buildParzen(observations: number[], bounds: Bounds, priorWeight: number): Parzen {
  const { low, high } = bounds;
  const n = observations.length;
  const prior = 0.5 * (low + high);
  const withPrior = [...observations, prior];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a] - withPrior[b] || a - b);
  const sorted = [low, ...order.map((i) => withPrior[i]), high];
  const sortedSigmas: number[] = [];
  for (let i = 1; i < sorted.length - 1; i++)
    sortedSigmas.push(Math.max(sorted[i] - sorted[i - 1], sorted[i + 1] - sorted[i]));
  if (sorted.length >= 4) {
    sortedSigmas[0] = sorted[2] - sorted[1];
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const sigmas = new Array(withPrior.length);
  order.forEach((original, rank) => {
    sigmas[original] = sortedSigmas[rank];
  });
  const maxSigma = high - low;
  const minSigma = (high - low) / Math.min(100, 1 + (n + 1));
  const clipped = sigmas.slice(0, n).map((s: number) => Math.min(maxSigma, Math.max(minSigma, s)));
  const weights = [...defaultWeights(n), priorWeight];
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    mus: withPrior,
    sigmas: [...clipped, high - low],
    weights: weights.map((w) => w / total),
    bounds,
  };
}

function sampleParzen(p: Parzen, rnd: Random): number {
  let u = rnd.next();
  let k = 0;
  while (k < p.weights.length - 1 && u >= p.weights[k]) {
    u -= p.weights[k];
    k++;
  }
  for (let tries = 0; tries < 1000; tries++) {
    const x = p.mus[k] + p.sigmas[k] * rnd.normal();
    if (x >= p.bounds.low && x <= p.bounds.high) return x;
  }
  return Math.min(p.bounds.high, Math.max(p.bounds.low, p.mus[k]));
}

function logDensity(p: Parzen, x: number): number {
  let sum = 0;
  for (let k = 0; k < p.mus.length; k++) {
    const s = p.sigmas[k];
    const z = (x - p.mus[k]) / s;
    const mass = normalCdf((p.bounds.high - p.mus[k]) / s) - normalCdf((p.bounds.low - p.mus[k]) / s);
    sum += (p.weights[k] * Math.exp(-0.5 * z * z)) / (s * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return Math.log(Math.max(sum, 1e-300));
}

export class TpeSampler {
  private readonly rnd: Random;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly priorWeight: number;

  constructor(
    private readonly space: readonly ParamSpec[],
    options: TpeOptions,
  ) {
    this.rnd = new Random(options.seed);
    this.nStartup = options.nStartupTrials ?? 10;
    this.nCandidates = options.nEiCandidates ?? 24;
    this.priorWeight = options.priorWeight ?? 1;
  }

  /** Next parameters given every earlier trial (in trial order). */
  suggest(history: readonly SamplerTrial[]): TunedParams {
    const usable = history.filter((t) => t.state !== 'failed');
    const params: TunedParams = {};
    if (usable.length < this.nStartup) {
      for (const spec of this.space) {
        const b = transformedBounds(spec);
        params[spec.name] = fromTransformed(spec, b.low + this.rnd.next() * (b.high - b.low));
      }
      return params;
    }
    // Feasible trials by value (best first), then infeasible ones by violation, as Optuna ranks with constraints.
    const ranked = usable
      .map((t, i) => ({ t, i }))
      .sort((a, b) => {
        const fa = a.t.state === 'complete';
        const fb = b.t.state === 'complete';
        if (fa !== fb) return fa ? -1 : 1;
        if (fa) return (b.t.value ?? 0) - (a.t.value ?? 0) || a.i - b.i;
        return a.t.violation - b.t.violation || a.i - b.i;
      });
    const nBelow = defaultGamma(usable.length);
    const below = ranked
      .slice(0, nBelow)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.t);
    const above = ranked
      .slice(nBelow)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.t);
    for (const spec of this.space) {
      const bounds = transformedBounds(spec);
      const l = buildParzen(
        below.map((t) => toTransformed(spec, t.params[spec.name])),
        bounds,
        this.priorWeight,
      );
      const g = buildParzen(
        above.map((t) => toTransformed(spec, t.params[spec.name])),
        bounds,
        this.priorWeight,
      );
      let best = Number.NaN;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < this.nCandidates; c++) {
        const x = sampleParzen(l, this.rnd);
        const score = logDensity(l, x) - logDensity(g, x);
        if (score > bestScore) {
          bestScore = score;
          best = x;
        }
      }
      params[spec.name] = fromTransformed(spec, best);
    }
    return params;
  }
}
