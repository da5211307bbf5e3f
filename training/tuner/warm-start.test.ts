import { describe, expect, test } from 'vitest';
import { REGULARISATION_PARAMS, SEARCH_SPACE } from './search-space';
import { warmStartProposals } from './warm-start';

const space = [...SEARCH_SPACE, ...REGULARISATION_PARAMS];
const production = {
  learning_rate: 0.046,
  max_depth: 10,
  num_leaves: 72,
  scale_pos_weight: 2.73,
  min_child_samples: 44,
  subsample: 0.6,
  colsample_bytree: 0.81,
  reg_lambda: 0.36,
  min_child_weight: 0.05,
};

describe('warm-started retraining search', () => {
  test('the starting points come first, unchanged, then as many neighbours as asked', () => {
    const proposals = warmStartProposals(space, { from: [production], neighbours: 4, radius: 0.1 }, 1);
    expect(proposals).toHaveLength(5);
    expect(proposals[0]).toEqual(production);
    for (const p of proposals.slice(1)) expect(p).not.toEqual(production);
  });

  test('every neighbour stays inside the space, integers stay integers, and steps stay near the start', () => {
    const proposals = warmStartProposals(space, { from: [production], neighbours: 200, radius: 0.1 }, 7);
    for (const p of proposals) {
      for (const spec of space) {
        expect(p[spec.name]).toBeGreaterThanOrEqual(spec.low);
        expect(p[spec.name]).toBeLessThanOrEqual(spec.high);
        if (spec.int) expect(Number.isInteger(p[spec.name])).toBe(true);
      }
    }
    // With a step of a tenth of the range, the median distance to the start is well under a quarter of the range.
    const offsets = proposals.slice(1).map((p) => Math.abs(p.num_leaves - production.num_leaves) / (100 - 20));
    offsets.sort((a, b) => a - b);
    expect(offsets[100]).toBeLessThan(0.25);
    expect(offsets[100]).toBeGreaterThan(0);
  });

  test('a start outside the space is clipped into it; a dimension it lacks starts at the middle', () => {
    const { reg_lambda: _dropped, ...older } = { ...production, num_leaves: 500 };
    const [start] = warmStartProposals(space, { from: [older], neighbours: 0, radius: 0.1 }, 1);
    expect(start.num_leaves).toBe(100);
    // Log dimension 1e-3..10: its middle is the geometric mean, 0.1.
    expect(start.reg_lambda).toBeCloseTo(0.1, 10);
  });

  test('the same seed gives the same proposals; another seed other neighbours', () => {
    const warm = { from: [production, { ...production, num_leaves: 92 }], neighbours: 6, radius: 0.1 };
    expect(warmStartProposals(space, warm, 3)).toEqual(warmStartProposals(space, warm, 3));
    expect(warmStartProposals(space, warm, 3)).not.toEqual(warmStartProposals(space, warm, 4));
  });

  test('no starting point is refused', () => {
    expect(() => warmStartProposals(space, { from: [], neighbours: 3, radius: 0.1 }, 1)).toThrow(/starting point/);
  });
});
