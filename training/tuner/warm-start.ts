import { gaussian, seededRandom } from '../../core/util/seeded-random';
import type { ParamSpec, TunedParams } from './search-space';
import { fromTransformed, toTransformed, transformedBounds } from './tpe-sampler';

/**
 * A retraining search that starts where the last full search ended: the parameters the production model was built
 * from, then `neighbours` points drawn around them. Retraining adds rows to the same problem, so the optimum moves
 * little; a full TPE study from scratch on a set many times larger costs far more and explores mostly regions the
 * last study already rejected. Every proposal is still scored by the inner cross-validation like any trial.
 */
export interface WarmStart {
  /** The parameters to start from, best first (the production model's ensemble_params). */
  from: readonly TunedParams[];
  /** Further trials drawn around them, dealt round-robin over `from`. */
  neighbours: number;
  /** Standard deviation of a step, as a share of each dimension's range (log range for log dimensions). */
  radius: number;
}

/** The production parameters, snapped into the space (a dimension they lack starts at its middle). */
function snapped(space: readonly ParamSpec[], params: TunedParams): TunedParams {
  const out: TunedParams = {};
  for (const spec of space) {
    const { low, high } = transformedBounds(spec);
    const value = params[spec.name];
    const usable = Number.isFinite(value) && (!spec.log || value > 0);
    // Taken as it is, not through the log transform, so that the production model's own trial is repeated exactly.
    out[spec.name] = usable
      ? Math.min(spec.high, Math.max(spec.low, spec.int ? Math.round(value) : value))
      : fromTransformed(spec, (low + high) / 2);
  }
  return out;
}

/** The trials of a warm-started search in order: the starting points, then their neighbours. */
export function warmStartProposals(space: readonly ParamSpec[], warm: WarmStart, seed: number): TunedParams[] {
  if (warm.from.length === 0) throw new Error('a warm-started search needs at least one starting point');
  const random = seededRandom(seed);
  const starts = warm.from.map((params) => snapped(space, params));
  const proposals = [...starts];
  for (let i = 0; i < warm.neighbours; i++) {
    const centre = starts[i % starts.length];
    const step: TunedParams = {};
    for (const spec of space) {
      const { low, high } = transformedBounds(spec);
      const moved = toTransformed(spec, centre[spec.name]) + warm.radius * (high - low) * gaussian(random);
      step[spec.name] = fromTransformed(spec, Math.min(high, Math.max(low, moved)));
    }
    proposals.push(step);
  }
  return proposals;
}
