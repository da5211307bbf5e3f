import { describe, expect, test } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import { outputDrift } from './output-drift';

function betaLike(n: number, seed: number, shift = 0): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  // The mean of three uniforms: a bell on [0, 1], moved by `shift` and kept inside it.
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, (random() + random() + random()) / 3 + shift));
  return out;
}

describe('output drift', () => {
  test('the same score distribution does not drift; a shifted one drifts in both the scores and the High share', () => {
    const reference = betaLike(460, 1);
    const same = outputDrift(reference, betaLike(2_000, 2), 0.6);
    expect(same.score.drifted).toBe(false);
    expect(same.highShare.drifted).toBe(false);
    expect(same.drifted).toBe(false);

    const lower = outputDrift(reference, betaLike(2_000, 3, -0.25), 0.6);
    expect(lower.score.drifted).toBe(true);
    expect(lower.highShare.currentShare).toBeLessThan(lower.highShare.referenceShare);
    expect(lower.highShare.drifted).toBe(true);
    expect(lower.drifted).toBe(true);
  });

  test('the High shares are counted at the cut, inclusive, over all rows', () => {
    const reference = Float64Array.from([0.1, 0.2, 0.6, 0.7]);
    const current = Float64Array.from([0.59, 0.6, 0.61, 0.1, 0.2]);
    const result = outputDrift(reference, current, 0.6);
    expect(result.highShare.referenceShare).toBe(2 / 4);
    expect(result.highShare.currentShare).toBe(2 / 5);
    expect(result.highShare.referenceRows).toBe(4);
    expect(result.highShare.currentRows).toBe(5);
    // Equal shares give z = 0 and p = 1.
    const equal = outputDrift(reference, Float64Array.from([0.6, 0.1]), 0.6);
    expect(equal.highShare.pValue).toBe(1);
  });

  test('an all-Low batch against a reference with a third High is drifted on the High share alone', () => {
    const reference = Float64Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0.8 : 0.2));
    const current = new Float64Array(200).fill(0.2);
    const result = outputDrift(reference, current, 0.6);
    expect(result.highShare.currentShare).toBe(0);
    expect(result.highShare.pValue).toBeLessThan(1e-9);
    expect(result.drifted).toBe(true);
  });

  test('empty inputs are refused by name', () => {
    expect(() => outputDrift(new Float64Array(0), Float64Array.of(0.5), 0.6)).toThrow(/reference has no scores/);
    expect(() => outputDrift(Float64Array.of(0.5), new Float64Array(0), 0.6)).toThrow(/batch has no scores/);
  });
});
