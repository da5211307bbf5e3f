import { describe, expect, test } from 'vitest';
import type { ParamSpec } from './search-space';
import { defaultGamma, defaultWeights, type SamplerTrial, TpeSampler } from './tpe-sampler';

const space: ParamSpec[] = [
  { name: 'x', low: -5, high: 5 },
  { name: 'k', low: 1, high: 20, int: true },
  { name: 'lr', low: 0.001, high: 1, log: true },
];

function run(seed: number, trials: number): SamplerTrial[] {
  const sampler = new TpeSampler(space, { seed });
  const history: SamplerTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const params = sampler.suggest(history);
    // Maximise -(x - 2)^2 - (k - 7)^2 / 10 - (log10 lr + 2)^2; infeasible when x < -3.
    const value = -((params.x - 2) ** 2) - (params.k - 7) ** 2 / 10 - (Math.log10(params.lr) + 2) ** 2;
    history.push({
      params,
      value,
      state: params.x < -3 ? 'infeasible' : 'complete',
      violation: Math.max(0, -3 - params.x),
    });
  }
  return history;
}

describe('TPE sampler', () => {
  test("Optuna's gamma and weights", () => {
    expect([1, 10, 11, 100, 300].map(defaultGamma)).toEqual([1, 1, 2, 10, 25]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w.length).toBe(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });

  test('parameters stay in range, integers are integers, and the same seed repeats exactly', () => {
    const a = run(3, 60);
    for (const t of a) {
      expect(t.params.x).toBeGreaterThanOrEqual(-5);
      expect(t.params.x).toBeLessThanOrEqual(5);
      expect(Number.isInteger(t.params.k)).toBe(true);
      expect(t.params.lr).toBeGreaterThanOrEqual(0.001);
      expect(t.params.lr).toBeLessThanOrEqual(1);
    }
    expect(run(3, 60)).toEqual(a);
    expect(run(4, 60)).not.toEqual(a);
  });

  test('after the random start-up trials it concentrates near the optimum (beats random search)', () => {
    const best = (h: SamplerTrial[]) =>
      Math.max(...h.filter((t) => t.state === 'complete').map((t) => t.value ?? -1e9));
    const tpeBest: number[] = [];
    const randomBest: number[] = [];
    for (let seed = 0; seed < 8; seed++) {
      tpeBest.push(best(run(seed, 60)));
      const sampler = new TpeSampler(space, { seed, nStartupTrials: 1000 });
      const history: SamplerTrial[] = [];
      for (let i = 0; i < 60; i++) {
        const params = sampler.suggest(history);
        const value = -((params.x - 2) ** 2) - (params.k - 7) ** 2 / 10 - (Math.log10(params.lr) + 2) ** 2;
        history.push({ params, value, state: 'complete', violation: 0 });
      }
      randomBest.push(best(history));
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(tpeBest)).toBeGreaterThan(mean(randomBest));
  });
});
