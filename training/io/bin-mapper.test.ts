import { describe, expect, test } from 'vitest';
import { fitBinMapper, greedyFindBin, valueToBin } from './bin-mapper';

describe('bin mapper', () => {
  test('few distinct values get edges at midpoints, zero in a bin of its own', () => {
    const column = [0, 0, 0, 1, 1, 1, 2, 2, 2, 4, 4, 4];
    const mapper = fitBinMapper(column, 255, 3);
    expect(Array.from(mapper.upperBounds)).toEqual([Math.fround(1e-35), 1.5, 3, Number.POSITIVE_INFINITY]);
    expect(mapper.missingType).toBe('none');
    expect(column.map((v) => valueToBin(mapper, v))).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  test('min_data_in_bin merges sparse values', () => {
    // 1 and 2 occur once each: the first edge comes only after 3 rows.
    expect(greedyFindBin([1, 2, 3, 10], [1, 1, 1, 5], 255, 8, 3)).toEqual([6.5, Number.POSITIVE_INFINITY]);
  });

  test('NaN gets its own last bin and an unseen NaN in a NaN-free feature is treated as zero', () => {
    const withNan = fitBinMapper([1, 2, 3, Number.NaN, 4, 5, 6], 255, 1);
    expect(withNan.nanBin).toBe(withNan.numBins - 1);
    expect(valueToBin(withNan, Number.NaN)).toBe(withNan.nanBin);
    const noNan = fitBinMapper([0, 0, 5, 5, 9, 9], 255, 1);
    expect(noNan.nanBin).toBe(-1);
    expect(valueToBin(noNan, Number.NaN)).toBe(valueToBin(noNan, 0));
  });

  test('every edge is float32-representable and separates neighbouring float32 values exactly', () => {
    // Two values one float32 ulp apart: the float64 midpoint is not a float32, the edge must be the lower value.
    const a = Math.fround(0.1);
    const buf = new Float32Array([a]);
    new Int32Array(buf.buffer)[0] += 1;
    const b = buf[0];
    const values = [a, a, a, b, b, b, 0.3, 0.3, 0.3];
    const mapper = fitBinMapper(values, 255, 3);
    for (const edge of mapper.upperBounds) {
      if (Number.isFinite(edge)) expect(Math.fround(edge)).toBe(edge);
    }
    expect(valueToBin(mapper, a)).toBeLessThan(valueToBin(mapper, b));
    expect(mapper.upperBounds[valueToBin(mapper, a)]).toBe(a);
  });

  test('more distinct values than max_bin (no zeros): at most max_bin bins, each with >= min_data_in_bin rows', () => {
    const column = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 7919) % 1000));
    const mapper = fitBinMapper(column, 63, 3);
    expect(mapper.numBins).toBeLessThanOrEqual(63);
    const counts = new Array(mapper.numBins).fill(0);
    for (const v of column) counts[valueToBin(mapper, v)]++;
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
  });
});
