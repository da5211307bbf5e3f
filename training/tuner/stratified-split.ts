import { Random } from '../../core/util/seeded-random';

/** Row indices (0-based into the CSV's data rows) of a train / validation / test split. */
export interface SplitIndices {
  train: number[];
  val: number[];
  test: number[];
}

function classIndices(labels: ArrayLike<number>, rnd: Random): number[][] {
  const byClass: number[][] = [[], []];
  for (let i = 0; i < labels.length; i++) byClass[labels[i] === 1 ? 1 : 0].push(i);
  for (const list of byClass) rnd.shuffle(list);
  return byClass;
}

/**
 * Stratified split with fractions (train, val, test) summing to 1: each class is shuffled with the seed and
 * cut proportionally, so every part keeps the positive rate. Indices are returned sorted.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fractions: [number, number, number],
  seed: number,
): SplitIndices {
  const sum = fractions[0] + fractions[1] + fractions[2];
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`split fractions must sum to 1, got ${sum}`);
  const rnd = new Random(seed);
  const out: SplitIndices = { train: [], val: [], test: [] };
  for (const list of classIndices(labels, rnd)) {
    const nTest = Math.round(list.length * fractions[2]);
    const nVal = Math.round(list.length * fractions[1]);
    out.test.push(...list.slice(0, nTest));
    out.val.push(...list.slice(nTest, nTest + nVal));
    out.train.push(...list.slice(nTest + nVal));
  }
  for (const part of [out.train, out.val, out.test]) part.sort((a, b) => a - b);
  return out;
}

/**
 * Stratified k folds: each class is shuffled with the seed and dealt round-robin, as sklearn's
 * StratifiedKFold(shuffle=True) keeps class proportions per fold. Returns the held-out indices of each fold.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): number[][] {
  if (!(k >= 2)) throw new Error(`k must be >= 2, got ${k}`);
  const rnd = new Random(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const list of classIndices(labels, rnd)) {
    for (const index of list) {
      folds[next].push(index);
      next = (next + 1) % k;
    }
  }
  for (const fold of folds) fold.sort((a, b) => a - b);
  return folds;
}

/** Complement of a fold within [0, n). */
export function complement(n: number, held: number[]): number[] {
  const mark = new Uint8Array(n);
  for (const i of held) mark[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!mark[i]) out.push(i);
  return out;
}

/** Checks an externally supplied split: disjoint, in range, non-empty train and test. Throws naming the problem. */
export function validateSplit(split: SplitIndices, rowCount: number): void {
  const seen = new Int8Array(rowCount).fill(-1);
  const parts: [keyof SplitIndices, number][] = [
    ['train', 0],
    ['val', 1],
    ['test', 2],
  ];
  for (const [name, code] of parts) {
    const list = split[name];
    if (!Array.isArray(list)) throw new Error(`split: "${name}" must be an array of row indices`);
    for (const i of list) {
      if (!Number.isInteger(i) || i < 0 || i >= rowCount) {
        throw new Error(`split: "${name}" has index ${i}, outside the ${rowCount} data rows (0-based)`);
      }
      if (seen[i] >= 0) throw new Error(`split: row ${i} appears in both "${parts[seen[i]][0]}" and "${name}"`);
      seen[i] = code;
    }
  }
  if (split.train.length === 0 || split.test.length === 0) throw new Error('split: train and test must not be empty');
}
