import { describe, expect, test } from 'vitest';
import { radixSortFloat64 } from './radix-sort';
import { mulberry32 } from './seeded-samples.test-helper';

describe('radixSortFloat64', () => {
  test('same order as the built-in sort: negatives, -0 and +0, infinities, decimals, ties', () => {
    const next = mulberry32(5);
    const data = new Float64Array(20000);
    for (let i = 0; i < data.length; i++) {
      const u = next() / 2 ** 32;
      data[i] = i % 7 === 0 ? Math.round(u * 200) / 10 : (u - 0.5) * 10 ** ((next() % 20) - 10);
    }
    data.set([0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MAX_VALUE], 0);
    const expected = data.slice().sort();
    const actual = radixSortFloat64(data);
    expect(actual).toEqual(expected);
    // toEqual does not tell -0 from +0; check where the negative zero went.
    expect(Array.from(actual, (v) => Object.is(v, -0))).toEqual(Array.from(expected, (v) => Object.is(v, -0)));
    expect(data[1]).toBe(-0); // input untouched
  });

  test('all-equal columns and short columns', () => {
    expect(radixSortFloat64(new Float64Array(5000).fill(3.5))).toEqual(new Float64Array(5000).fill(3.5));
    expect(Array.from(radixSortFloat64(Float64Array.from([3, -1, 2])))).toEqual([-1, 2, 3]);
  });
});
