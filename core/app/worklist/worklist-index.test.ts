import { describe, expect, test } from 'vitest';
import { WorklistQuery } from '../../api/inputs';
import type { RiskCategory } from '../../api/outputs';
import { stableOrderBy, type WorklistColumns, WorklistIndex } from './worklist-index';

/** A deterministic pseudo-random batch (LCG), categories derived from the score with fixed cuts. */
function makeColumns(n: number, seed = 7): WorklistColumns {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const ids: string[] = [];
  const scores = new Float64Array(n);
  const categories: RiskCategory[] = [];
  const recommended = new Uint8Array(n);
  const glucose = new Float64Array(n);
  const bmi = new Float64Array(n);
  const age = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ids.push(`P${String(i).padStart(6, '0')}`);
    scores[i] = Math.round(next() * 1000) / 1000;
    categories.push(scores[i] >= 0.6 ? 'High' : scores[i] >= 0.35 ? 'Medium' : 'Low');
    recommended[i] = scores[i] >= 0.45 ? 1 : 0;
    glucose[i] = next() < 0.05 ? Number.NaN : 60 + Math.round(next() * 140);
    bmi[i] = 18 + Math.round(next() * 300) / 10;
    age[i] = 21 + Math.floor(next() * 60);
  }
  const borderline = scores.map((s) => (Math.abs(s - 0.45) <= 0.05 ? 1 : 0));
  return { ids, scores, categories, recommended, borderline: Uint8Array.from(borderline), glucose, bmi, age };
}

const q = (input: object) => WorklistQuery.parse(input);

describe('WorklistIndex', () => {
  const columns = makeColumns(5000);
  const index = new WorklistIndex(columns);

  test('default order is High first, then by descending score', () => {
    const { rows, matching } = index.page(q({}), 0, 5000);
    expect(matching).toBe(5000);
    const rank = { High: 2, Medium: 1, Low: 0 };
    for (let k = 1; k < rows.length; k++) {
      const a = rows[k - 1];
      const b = rows[k];
      expect(rank[a.category] > rank[b.category] || (a.category === b.category && a.score >= b.score)).toBe(true);
    }
    expect(rows[0].category).toBe('High');
  });

  test('filters by category, recommendation and id search, counted independently', () => {
    const query = q({ categories: ['Medium'], recommendedOnly: true, search: 'p0001' });
    let expected = 0;
    for (let i = 0; i < 5000; i++) {
      if (columns.categories[i] === 'Medium' && columns.recommended[i] === 1 && columns.ids[i].startsWith('P0001'))
        expected++;
    }
    const { matching, rows } = index.page(query, 0, 1000);
    expect(matching).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    for (const row of rows)
      expect(row.category === 'Medium' && row.recommended && row.patientId.includes('P0001')).toBe(true);
  });

  test('the borderline filter keeps exactly the rows marked borderline', () => {
    const { matching, rows } = index.page(q({ borderlineOnly: true }), 0, 1000);
    expect(matching).toBe(columns.borderline.reduce((a, b) => a + b, 0));
    expect(matching).toBeGreaterThan(0);
    expect(rows.every((r) => r.borderline && Math.abs(r.score - 0.45) <= 0.05)).toBe(true);
  });

  test('sorts any column ascending with missing values first, and pages are consistent slices', () => {
    const query = q({ sort: [{ column: 'glucose', direction: 'asc' }] });
    const all = index.page(query, 0, 5000).rows;
    const missing = all.filter((r) => r.glucose === null).length;
    expect(missing).toBe([...columns.glucose].filter(Number.isNaN).length);
    expect(all.slice(0, missing).every((r) => r.glucose === null)).toBe(true);
    for (let k = missing + 1; k < all.length; k++)
      expect(all[k].glucose as number).toBeGreaterThanOrEqual(all[k - 1].glucose as number);
    expect(index.page(query, 100, 50).rows).toEqual(all.slice(100, 150));
  });

  test('reviewed filter follows reviews as they are recorded', () => {
    const fresh = new WorklistIndex(columns);
    expect(fresh.page(q({ reviewed: 'reviewed' }), 0, 10).matching).toBe(0);
    fresh.setReview(42, { by: 'ann', at: '2026-01-01T00:00:00Z', note: 'called' });
    const reviewed = fresh.page(q({ reviewed: 'reviewed' }), 0, 10);
    expect(reviewed.matching).toBe(1);
    expect(reviewed.rows[0].patientId).toBe(columns.ids[42]);
    expect(fresh.page(q({ reviewed: 'unreviewed' }), 0, 1).matching).toBe(4999);
    expect(fresh.reviewedCount()).toBe(1);
  });

  test('category counts cover the whole batch', () => {
    const counts = index.categoryCounts();
    expect(counts.High + counts.Medium + counts.Low).toBe(5000);
    expect(counts.High).toBe(columns.categories.filter((c) => c === 'High').length);
  });
});

describe('stableOrderBy (radix sort of row indexes)', () => {
  test('matches a stable comparator sort on keys with ties, negatives, zeros and extremes', () => {
    let state = 3;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const n = 20_000;
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = next();
      key[i] =
        r < 0.1 ? 0 : r < 0.2 ? -Number.MAX_VALUE : r < 0.5 ? Math.round(next() * 20) - 10 : (next() - 0.5) * 1e6;
    }
    const order = Uint32Array.from({ length: n }, (_, i) => n - 1 - i); // a non-trivial starting order
    const expected = [...order].sort((a, b) => key[a] - key[b]); // Array#sort is stable
    expect([...stableOrderBy(order, key)]).toEqual(expected);
  });

  test('handles empty and single-row inputs', () => {
    expect([...stableOrderBy(new Uint32Array(0), new Float64Array(0))]).toEqual([]);
    expect([...stableOrderBy(Uint32Array.of(0), Float64Array.of(5))]).toEqual([0]);
  });
});
