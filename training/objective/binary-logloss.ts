/**
 * Binary log-loss as LightGBM's BinaryLogloss (src/objective/binary_objective.hpp) with sigmoid = 1:
 * label weights (1 for negatives, scale_pos_weight for positives) scale gradient and hessian, and
 * boost_from_average starts from the log-odds of the plain label mean (label weights are not used there).
 */
export interface BinaryLogloss {
  readonly scalePosWeight: number;
  initScore(labels: Uint8Array): number;
  gradients(scores: Float64Array, labels: Uint8Array, grad: Float64Array, hess: Float64Array): void;
  /** Mean weighted log-loss (the quantity the trees minimise). */
  loss(scores: Float64Array, labels: Uint8Array): number;
}

const EPSILON = 1e-15;

export function createBinaryLogloss(scalePosWeight: number): BinaryLogloss {
  return {
    scalePosWeight,
    initScore(labels) {
      let positives = 0;
      for (let i = 0; i < labels.length; i++) positives += labels[i];
      let p = positives / labels.length;
      p = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
      return Math.log(p / (1 - p));
    },
    gradients(scores, labels, grad, hess) {
      for (let i = 0; i < scores.length; i++) {
        const p = 1 / (1 + Math.exp(-scores[i]));
        const w = labels[i] === 1 ? scalePosWeight : 1;
        grad[i] = (p - labels[i]) * w;
        hess[i] = p * (1 - p) * w;
      }
    },
    loss(scores, labels) {
      let sum = 0;
      let weight = 0;
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i];
        // log(1 + exp(-s)) for positives, log(1 + exp(s)) for negatives, computed stably.
        const z = labels[i] === 1 ? -s : s;
        const l = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        const w = labels[i] === 1 ? scalePosWeight : 1;
        sum += w * l;
        weight += w;
      }
      return sum / weight;
    },
  };
}

/** Unweighted mean log-loss of raw margins (LightGBM's binary_logloss metric). */
export function loglossOfMargins(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const z = labels[i] === 1 ? -scores[i] : scores[i];
    sum += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  return sum / scores.length;
}
