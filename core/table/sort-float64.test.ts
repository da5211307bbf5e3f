import { describe, expect, test } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import { sortFloat64 } from './sort-float64';

describe('sortFloat64', () => {
  test('orders mixed signs, fractions, integers, duplicates and extremes as the numeric comparator does', () => {
    const random = seededRandom(7);
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
    const random = seededRandom(3);
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
    const random = seededRandom(11);
    const values = Float64Array.from({ length: 5000 }, () => Math.floor(random() * 16));
    const expected = Array.from(values).sort((a, b) => a - b);
    expect(Array.from(sortFloat64(values))).toEqual(expected);
  });
});

describe('sortFloat64 on the cases drift detection relies on', () => {
  test('infinities, the smallest and largest magnitudes, -0 before +0, as the built-in sort', () => {
    const random = seededRandom(5);
    const data = new Float64Array(20000);
    for (let i = 0; i < data.length; i++) {
      const u = random();
      data[i] = i % 7 === 0 ? Math.round(u * 200) / 10 : (u - 0.5) * 10 ** (Math.floor(random() * 20) - 10);
    }
    data.set([0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MAX_VALUE], 0);
    const expected = data.slice().sort();
    const actual = sortFloat64(data.slice());
    expect(actual).toEqual(expected);
    // toEqual does not tell -0 from +0; check where the negative zero went.
    expect(Array.from(actual, (v) => Object.is(v, -0))).toEqual(Array.from(expected, (v) => Object.is(v, -0)));
  });

  test('all-equal and short columns', () => {
    expect(sortFloat64(new Float64Array(5000).fill(3.5))).toEqual(new Float64Array(5000).fill(3.5));
    expect(Array.from(sortFloat64(Float64Array.from([3, -1, 2])))).toEqual([-1, 2, 3]);
  });
});
