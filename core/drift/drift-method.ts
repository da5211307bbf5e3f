import type { DriftMethod } from '../api/drift-types';

export type { DriftMethod };

/**
 * The drift tests available per feature, at run time (the config schema's enum). The type is the contract's, since
 * every drift result names its test; drift-method-contract.test.ts checks that this list names each one.
 */
export const DRIFT_METHODS = [
  'ks',
  'chisquare',
  'chisquare-contingency',
  'z',
  'wasserstein',
  'jensenshannon',
] as const satisfies readonly DriftMethod[];

interface DriftMethodInfo {
  /** How the UI and CLI name the result (Evidently's display names). */
  label: string;
  /** p-value tests drift when p < threshold; distances drift when distance >= threshold (Evidently's rule). */
  score: 'p-value' | 'distance';
  defaultThreshold: number;
  /** Feature kinds the method accepts. */
  accepts: readonly ('num' | 'cat')[];
}

export const DRIFT_METHOD_INFO: Record<DriftMethod, DriftMethodInfo> = {
  ks: { label: 'K-S p_value', score: 'p-value', defaultThreshold: 0.05, accepts: ['num'] },
  chisquare: { label: 'chi-square p_value', score: 'p-value', defaultThreshold: 0.05, accepts: ['num', 'cat'] },
  'chisquare-contingency': {
    label: 'chi-square contingency p_value',
    score: 'p-value',
    defaultThreshold: 0.05,
    accepts: ['num', 'cat'],
  },
  z: { label: 'Z-test p_value', score: 'p-value', defaultThreshold: 0.05, accepts: ['num', 'cat'] },
  wasserstein: { label: 'Wasserstein distance (normed)', score: 'distance', defaultThreshold: 0.1, accepts: ['num'] },
  jensenshannon: {
    label: 'Jensen-Shannon distance',
    score: 'distance',
    defaultThreshold: 0.1,
    accepts: ['num', 'cat'],
  },
};

/** Evidently's DataDriftPreset switches from tests to distances above this many reference rows. */
const SMALL_REFERENCE_MAX_ROWS = 1000;

/**
 * Evidently's default test for one feature (registry._get_default_stattest): with a reference of at most 1,000
 * non-missing values, numerical with > 5 distinct values -> KS, 3-5 -> chi-square, <= 2 -> Z; categorical with > 2 ->
 * chi-square, else Z. With a larger reference: numerical with > 5 distinct values -> normed Wasserstein, everything
 * else -> Jensen-Shannon. `distinctValues` counts both samples together (pandas nunique on the concatenation).
 */
export function defaultDriftMethod(kind: 'num' | 'cat', referenceRows: number, distinctValues: number): DriftMethod {
  if (referenceRows <= SMALL_REFERENCE_MAX_ROWS) {
    if (kind === 'num' && distinctValues > 5) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  if (kind === 'num' && distinctValues > 5) return 'wasserstein';
  return 'jensenshannon';
}
