import { describe, expect, test } from 'vitest';
import { complement, stratifiedKFold, stratifiedSplit, validateSplit } from './stratified-split';

const labels = Array.from({ length: 768 }, (_, i) => (i % 3 === 0 ? 1 : 0));

describe('stratified splits', () => {
  test('60/20/20 covers every row once and keeps the positive rate in each part', () => {
    const split = stratifiedSplit(labels, [0.6, 0.2, 0.2], 42);
    const all = [...split.train, ...split.val, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(labels.map((_, i) => i));
    const rate = (rows: number[]) => rows.filter((r) => labels[r] === 1).length / rows.length;
    for (const part of [split.train, split.val, split.test]) expect(Math.abs(rate(part) - 1 / 3)).toBeLessThan(0.01);
    expect(split.test.length).toBeCloseTo(154, -1);
    expect(stratifiedSplit(labels, [0.6, 0.2, 0.2], 42)).toEqual(split);
    expect(stratifiedSplit(labels, [0.6, 0.2, 0.2], 43)).not.toEqual(split);
  });

  test('k folds partition the rows with balanced class counts', () => {
    const folds = stratifiedKFold(labels, 5, 1);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    const positives = folds.map((f) => f.filter((r) => labels[r] === 1).length);
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1);
    expect(complement(10, [1, 3])).toEqual([0, 2, 4, 5, 6, 7, 8, 9]);
  });

  test('an external split with overlapping or out-of-range rows is refused with the row named', () => {
    expect(() => validateSplit({ train: [0, 1], val: [1], test: [2] }, 5)).toThrow(
      /row 1 appears in both "train" and "val"/,
    );
    expect(() => validateSplit({ train: [0], val: [], test: [9] }, 5)).toThrow(/index 9, outside the 5 data rows/);
  });
});
