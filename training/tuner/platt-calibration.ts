import type { PlattCalibration } from '../../core/model/tree';

/**
 * Platt scaling fitted by Newton's method on (margin, label) pairs with Platt's smoothed targets
 * (N+ + 1)/(N+ + 2) and 1/(N- + 2), as sklearn's CalibratedClassifierCV(method='sigmoid') does.
 * Fit it on out-of-fold margins: in-sample margins of a boosted model are over-confident.
 */
export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): PlattCalibration {
  const n = margins.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error('fitPlatt: both classes are needed');
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  let a = 1;
  let b = 0;
  const loss = (aa: number, bb: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const z = aa * margins[i] + bb;
      const t = labels[i] === 1 ? hi : lo;
      // -(t log p + (1 - t) log(1 - p)) with p = sigmoid(z), stably.
      const logP = z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
      const log1mP = z >= 0 ? -z - Math.log1p(Math.exp(-z)) : -Math.log1p(Math.exp(z));
      sum -= t * logP + (1 - t) * log1mP;
    }
    return sum;
  };
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const m = margins[i];
      const p = 1 / (1 + Math.exp(-(a * m + b)));
      const t = labels[i] === 1 ? hi : lo;
      const d = p - t;
      const w = p * (1 - p);
      ga += d * m;
      gb += d;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    // Backtracking keeps every step a descent step.
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-8) {
      step /= 2;
      next = loss(a - da * step, b - db * step);
    }
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const improvement = current - next;
    current = next;
    if (Math.abs(da) + Math.abs(db) < 1e-12 || improvement < 1e-14) break;
  }
  return { method: 'platt', slope: a, intercept: b };
}
