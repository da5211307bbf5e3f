import { describe, expect, test } from 'vitest';
import { loadPimaColumns } from '../testing/pima';
import { type LabelledPrediction, weeklyPerformance } from './weekly-performance';

const pima = loadPimaColumns();

/** Pima rows as one week's labelled predictions: Glucose >= 140 recommended, the file's Outcome as the label. */
function pimaWeek(ages: (i: number) => number | null): LabelledPrediction[] {
  return Array.from({ length: pima.rowCount }, (_, i) => ({
    outcome: pima.outcome[i] as 0 | 1,
    score: pima.raw.Glucose[i] / 200,
    recommendation: pima.raw.Glucose[i] >= 140 ? 1 : 0,
    age: ages(i),
    modelVersion: 'v1.0.0',
    predictionDate: '2026-03-04',
  }));
}

describe('Age_Group recall on a Pima week', () => {
  test('each band counts its rows, positives and caught positives; ages are right-inclusive at 30, 45 and 60', () => {
    const [w] = weeklyPerformance(pimaWeek((i) => pima.raw.Age[i]));
    const bands = [
      { group: '<=30', lo: -Infinity, hi: 30 },
      { group: '31-45', lo: 30, hi: 45 },
      { group: '46-60', lo: 45, hi: 60 },
      { group: '>60', lo: 60, hi: Infinity },
    ];
    expect(w.subgroupRecall).toEqual(
      bands.map(({ group, lo, hi }) => {
        let n = 0;
        let positives = 0;
        let tp = 0;
        for (let i = 0; i < pima.rowCount; i++) {
          const age = pima.raw.Age[i];
          if (!(age > lo && age <= hi)) continue;
          n++;
          if (pima.outcome[i] === 1) {
            positives++;
            if (pima.raw.Glucose[i] >= 140) tp++;
          }
        }
        return { group, n, positives, recall: positives === 0 ? null : tp / positives };
      }),
    );
    // No unknown band when every age is known.
    expect(w.subgroupRecall.map((s) => s.group)).not.toContain('unknown');
    expect(w.judged).toBe(true);
  });

  test('a NaN age is unknown, like a missing one', () => {
    const [w] = weeklyPerformance(pimaWeek((i) => (i % 2 === 0 ? Number.NaN : i % 3 === 0 ? null : 40)));
    const unknown = w.subgroupRecall.find((s) => s.group === 'unknown');
    let n = 0;
    let positives = 0;
    for (let i = 0; i < pima.rowCount; i++) {
      if (i % 2 === 0 || i % 3 === 0) {
        n++;
        positives += pima.outcome[i];
      }
    }
    expect(unknown).toMatchObject({ n, positives });
    expect(w.subgroupRecall.find((s) => s.group === '31-45')?.n).toBe(pima.rowCount - n);
  });
});
