/**
 * Binary log-loss as LightGBM's BinaryLogloss (src/objective/binary_objective.hpp) with sigmoid = 1:
 * label weights (1 for negatives, scale_pos_weight for positives) scale gradient and hessian, and
 * boost_from_average starts from the log-odds of the plain label mean (label weights are not used there).
 */
interface BinaryLogloss {
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

/**
 * Cross-entropy against soft targets t in [0, 1] (knowledge distillation): LightGBM's binary gradient
 * p - t and hessian p (1 - p) with unit weights; 0/1 targets give exactly the unweighted binary log-loss.
 */
export function softTargetGradients(
  scores: Float64Array,
  targets: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
): void {
  for (let i = 0; i < scores.length; i++) {
    const p = 1 / (1 + Math.exp(-scores[i]));
    grad[i] = p - targets[i];
    hess[i] = p * (1 - p);
  }
}

/** boost_from_average for soft targets: the log-odds of their mean. */
export function softTargetInitScore(targets: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < targets.length; i++) sum += targets[i];
  const p = Math.min(Math.max(sum / targets.length, EPSILON), 1 - EPSILON);
  return Math.log(p / (1 - p));
}

/** Mean soft-target cross-entropy of raw margins. */
export function softTargetLoss(scores: Float64Array, targets: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    const softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    sum += softplus - targets[i] * s;
  }
  return sum / scores.length;
}
