import { describe, expect, test } from 'vitest';
import { sortFloat64 } from './radix-sort';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) >>> 0) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('sortFloat64', () => {
  test('orders mixed signs, fractions, integers, duplicates and extremes as the numeric comparator does', () => {
    const random = seeded(7);
    const values = new Float64Array(20000);
    for (let i = 0; i < values.length; i++) {
      const kind = i % 5;
      values[i] =
        kind === 0
          ? Math.round(random() * 200) // integers with many ties
          : kind === 1
            ? (random() - 0.5) * 1e6
            : kind === 2
              ? -Math.round(random() * 10) / 10
              : kind === 3
                ? random() * 1e-300
                : [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 0, 1][i % 5];
    }
    const expected = Array.from(values).sort((a, b) => a - b);
    // −0 and +0 compare equal, so the comparator leaves them in input order; `+ 0` makes them one value for toEqual.
    expect(Array.from(sortFloat64(values), (v) => v + 0)).toEqual(expected.map((v) => v + 0));
  });

  test('sorts a subarray view in place and leaves the rest of the buffer alone', () => {
    const random = seeded(3);
    const whole = new Float64Array(10001);
    for (let i = 0; i < whole.length; i++) whole[i] = Math.round(random() * 1000) - 500;
    const first = whole[0];
    const view = whole.subarray(1);
    const expected = Array.from(view).sort((a, b) => a - b);
    sortFloat64(view);
    expect(Array.from(view)).toEqual(expected);
    expect(whole[0]).toBe(first);
  });

  test('sorts small whole numbers, where only one radix pass runs (the result lands in the spare buffer)', () => {
    const random = seeded(11);
    const values = Float64Array.from({ length: 5000 }, () => Math.floor(random() * 16));
    const expected = Array.from(values).sort((a, b) => a - b);
    expect(Array.from(sortFloat64(values))).toEqual(expected);
  });
});
