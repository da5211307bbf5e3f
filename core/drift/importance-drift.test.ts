import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadBundle } from '../registry/bundle';
import { MODEL_FEATURES } from '../schema/columns';
import { importanceDrift } from './importance-drift';

const features = (drifted: readonly string[]) =>
  MODEL_FEATURES.map((feature) => ({ feature, drifted: drifted.includes(feature) }));

describe('importance-aware drift verdict', () => {
  test("with the production model's own ranking, drift in a top feature counts on its own and drift elsewhere does not", async () => {
    const bundle = await loadBundle(join(import.meta.dirname, '../../models/production'));
    const importance = bundle.metadata.global_importance?.model ?? [];
    expect(importance.length).toBeGreaterThan(3);
    const byWeight = [...importance].sort((a, b) => b.meanAbsShap - a.meanAbsShap).map((f) => f.feature);
    const total = importance.reduce((s, f) => s + f.meanAbsShap, 0);

    const top = importanceDrift(features([byWeight[0]]), importance);
    expect(top.drifted).toBe(true);
    expect(top.driftedImportant).toEqual([byWeight[0]]);
    // The shares are each feature's part of the total, most important first.
    expect(top.important.map((f) => f.feature).slice(0, 3)).toEqual(byWeight.slice(0, 3));
    for (const f of top.important) {
      const weight = importance.find((i) => i.feature === f.feature)?.meanAbsShap ?? Number.NaN;
      expect(f.share).toBeCloseTo(weight / total, 12);
    }

    const least = byWeight[byWeight.length - 1];
    const minor = importanceDrift(features([least]), importance);
    expect(minor.drifted).toBe(false);
    expect(minor.driftedImportant).toEqual([]);
  });

  test('a feature outside the top N still counts when it carries at least the minimum share', () => {
    const importance = [
      { feature: 'Glucose', meanAbsShap: 4 },
      { feature: 'BMI', meanAbsShap: 3 },
      { feature: 'Age', meanAbsShap: 2 },
      { feature: 'Insulin', meanAbsShap: 1 },
    ];
    // Shares 0.4, 0.3, 0.2, 0.1: with top 1, BMI (0.3) is important by share and Age (0.2) is not.
    const result = importanceDrift(features(['BMI', 'Age']), importance, { topN: 1, minShare: 0.25 });
    expect(result.important.map((f) => f.feature)).toEqual(['Glucose', 'BMI']);
    expect(result.driftedImportant).toEqual(['BMI']);
    const none = importanceDrift(features(['Age']), importance, { topN: 1, minShare: 0.25 });
    expect(none.drifted).toBe(false);
  });

  test('features without a test result or without weight are never important; no ranking means no verdict', () => {
    const importance = [
      { feature: 'NotAFeature', meanAbsShap: 100 },
      { feature: 'Glucose', meanAbsShap: 0 },
      { feature: 'BMI', meanAbsShap: 1 },
    ];
    const result = importanceDrift(features(['Glucose', 'BMI']), importance, { topN: 3, minShare: 0.25 });
    expect(result.important.map((f) => [f.feature, f.share])).toEqual([['BMI', 1]]);
    expect(importanceDrift(features(['Glucose']), []).drifted).toBe(false);
  });
});
