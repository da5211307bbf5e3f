import { describe, expect, test } from 'vitest';
import { countSorted, histogramEdges } from './histogram';

describe('histogram', () => {
  test('real-valued edges are numpy.linspace(min, max, bins + 1)', () => {
    expect(histogramEdges(0, 10, 4, false)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(histogramEdges(3, 3, 4, false)).toEqual([2.5, 2.75, 3, 3.25, 3.5]);
  });

  test('integer edges sit at half-integers, one or more whole numbers per bin', () => {
    expect(histogramEdges(0, 3, 20, true)).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5]);
    // 21..81 is 61 integers; 20 bins would need width 3.05, so width 4 and 16 bins.
    const edges = histogramEdges(21, 81, 20, true);
    expect(edges[0]).toBe(20.5);
    expect(edges[1]).toBe(24.5);
    expect(edges.length - 1).toBe(16);
    expect(edges[edges.length - 1]).toBeGreaterThan(81);
  });

  test('bins are [left, right) and the last bin holds its right edge, as numpy.histogram', () => {
    expect(countSorted([0, 2.5, 2.5, 4.9, 5, 9.99, 10], [0, 2.5, 5, 7.5, 10])).toEqual([1, 3, 1, 2]);
    expect(countSorted([-1, 0, 10, 11], [0, 5, 10])).toEqual([1, 1]);
  });
});
