import { rocAuc } from '../../core/metrics/roc-auc';
import type { TreeEnsemble } from '../../core/model/tree';
import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import type { FoldRunner } from './fold-runner';
import { type ParamSpec, paramsToConfig, SEARCH_SPACE, type TunedParams } from './search-space';
import { recallConstrainedThreshold } from './threshold';
import { type SamplerTrial, TpeSampler } from './tpe-sampler';

interface TuneOptions {
  nTrials: number;
  seed: number;
  /** Minimum recall the operating threshold must keep (0.85). */
  minRecall: number;
  /** Trials whose precision at that threshold falls below this are infeasible (0.45). */
  minPrecision: number;
  /** Fixed trainer settings under the tuned ones (numIterations, seed, ...). */
  baseConfig: Partial<TrainConfig>;
  /** Bagging frequency used whenever subsample < 1 (LightGBM ignores subsample at frequency 0). */
  baggingFreq: number;
  /** Search space (default SEARCH_SPACE). */
  space?: readonly ParamSpec[];
  /** Parameters to try in this order instead of TPE's suggestions (a warm-started search); nTrials is their count. */
  proposals?: readonly TunedParams[];
  /** Keep the fold models of this many best feasible trials (and of the best trial) for the final model. */
  keepFoldModels?: number;
  onTrial?: (trial: TrialResult) => void;
}

export interface TrialResult {
  number: number;
  params: TunedParams;
  state: 'complete' | 'infeasible' | 'failed';
  /** F2 at the recall-constrained threshold of the out-of-fold margins (null when failed). */
  value: number | null;
  metrics: { recall: number; precision: number; f2: number; auc: number; thresholdMargin: number };
  error?: string;
}

export interface TuneResult {
  trials: TrialResult[];
  best: TrialResult;
  /** Out-of-fold raw margins of the best trial, indexed like the training part's rows. */
  bestOofMargins: Float64Array;
  /** Out-of-fold raw margins of every trial (null for failed ones), indexed like `trials`. */
  trialOofMargins: (Float64Array | null)[];
  /** Fold models (indexed by fold) of the trials kept by keepFoldModels, by trial number. */
  foldModels: Map<number, TreeEnsemble[]>;
  folds: number[][];
}

/** The `k` best feasible trials by the objective (earliest first on ties), best first. */
export function bestFeasibleTrials(trials: readonly TrialResult[], k: number): number[] {
  return trials
    .filter((t) => t.state === 'complete')
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.number - b.number)
    .slice(0, Math.max(1, k))
    .map((t) => t.number);
}

/**
 * Optuna-style study: TPE proposes parameters, each trial is scored by k-fold stratified CV on the
 * training part only (out-of-fold margins of all its rows), F2 at the recall-constrained threshold is the
 * objective and a trial under the recall or precision floor is infeasible. The best feasible trial wins
 * (earliest on ties); if none is feasible, the least violating one.
 */
export async function tune(
  data: BinnedDataset,
  folds: number[][],
  runner: FoldRunner,
  options: TuneOptions,
): Promise<TuneResult> {
  const sampler = new TpeSampler(options.space ?? SEARCH_SPACE, { seed: options.seed });
  const history: SamplerTrial[] = [];
  const trials: TrialResult[] = [];
  const trialOofMargins: (Float64Array | null)[] = [];
  let best: TrialResult | null = null;
  let bestViolation = Number.POSITIVE_INFINITY;
  let bestOof = new Float64Array(data.numRows);
  const foldModels = new Map<number, TreeEnsemble[]>();
  const nTrials = options.proposals?.length ?? options.nTrials;
  const configOf = (params: TunedParams) => paramsToConfig(params, options.baseConfig, options.baggingFreq);
  // Proposals do not depend on earlier results, so all their folds are asked for at once and the workers never
  // wait between trials; results are still taken in trial order. (The handler only keeps an early failure from
  // being reported as unhandled; it is rethrown when its trial is reached.)
  const prefetched = options.proposals?.map((params) => {
    const outcomes = runner.run(configOf(params));
    outcomes.catch(() => {});
    return outcomes;
  });
  for (let number = 0; number < nTrials; number++) {
    const params = options.proposals ? { ...options.proposals[number] } : sampler.suggest(history);
    const config = configOf(params);
    let trial: TrialResult;
    let violation = 0;
    const oof = new Float64Array(data.numRows);
    try {
      const outcomes = await (prefetched?.[number] ?? runner.run(config));
      folds.forEach((held, f) => {
        for (let j = 0; j < held.length; j++) oof[held[j]] = outcomes[f].margins[j];
      });
      if (options.keepFoldModels)
        foldModels.set(
          number,
          outcomes.map((o) => o.model),
        );
      const choice = recallConstrainedThreshold(oof, data.labels, options.minRecall);
      violation = Math.max(0, options.minRecall - choice.recall) + Math.max(0, options.minPrecision - choice.precision);
      trial = {
        number,
        params,
        state: violation > 0 ? 'infeasible' : 'complete',
        value: choice.f2,
        metrics: {
          recall: choice.recall,
          precision: choice.precision,
          f2: choice.f2,
          auc: rocAuc(oof, data.labels),
          thresholdMargin: choice.threshold,
        },
      };
    } catch (error) {
      trial = {
        number,
        params,
        state: 'failed',
        value: null,
        metrics: { recall: 0, precision: 0, f2: 0, auc: Number.NaN, thresholdMargin: Number.NaN },
        error: String(error),
      };
    }
    trials.push(trial);
    trialOofMargins.push(trial.state === 'failed' ? null : oof);
    history.push({ params, state: trial.state, value: trial.value, violation });
    options.onTrial?.(trial);
    if (trial.state === 'failed') continue;
    const better =
      best === null ||
      (trial.state === 'complete' && best.state !== 'complete') ||
      (trial.state === 'complete' && best.state === 'complete' && (trial.value ?? 0) > (best.value ?? 0)) ||
      (trial.state === 'infeasible' && best.state === 'infeasible' && violation < bestViolation);
    if (better) {
      best = trial;
      bestViolation = violation;
      bestOof = oof;
    }
    if (options.keepFoldModels && best) {
      // Only the models the final ensemble can still be made of stay in memory.
      const keep = new Set([...bestFeasibleTrials(trials, options.keepFoldModels), best.number]);
      for (const kept of foldModels.keys()) if (!keep.has(kept)) foldModels.delete(kept);
    }
  }
  if (!best) throw new Error(`tuning failed: every trial failed (first error: ${trials[0]?.error ?? 'none'})`);
  return { trials, best, bestOofMargins: bestOof, trialOofMargins, foldModels, folds };
}
