/**
 * Worklist queries on 100 000 rows, as main answers the renderer: first page of a new order (filter + sort),
 * then further pages of the same order (cached). Prints the median of several runs.
 *
 *   npm run bench:worklist -- [rows=100000] [runs=7]
 */
import { WorklistQuery } from '../../core/api/inputs';
import type { RiskCategory } from '../../core/api/outputs';
import { type WorklistColumns, WorklistIndex } from '../../core/app/worklist/worklist-index';
import { seededRandom } from '../../core/util/seeded-random';

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 7);

function columns(n: number): WorklistColumns {
  const random = seededRandom(42);
  const categories: RiskCategory[] = [];
  const scores = new Float64Array(n);
  const recommended = new Uint8Array(n);
  const glucose = new Float64Array(n);
  const bmi = new Float64Array(n);
  const age = new Float64Array(n);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(`P${String(i).padStart(6, '0')}`);
    scores[i] = random();
    categories.push(scores[i] >= 0.6 ? 'High' : scores[i] >= 0.35 ? 'Medium' : 'Low');
    recommended[i] = scores[i] >= 0.45 ? 1 : 0;
    glucose[i] = random() < 0.01 ? Number.NaN : 60 + random() * 140;
    bmi[i] = 18 + random() * 30;
    age[i] = 21 + Math.floor(random() * 60);
  }
  const borderline = scores.map((s) => (Math.abs(s - 0.45) <= 0.05 ? 1 : 0));
  return { ids, scores, categories, recommended, borderline: Uint8Array.from(borderline), glucose, bmi, age };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

const data = columns(rows);
const queries = {
  'default (High first)': WorklistQuery.parse({}),
  'sort by glucose asc': WorklistQuery.parse({ sort: [{ column: 'glucose', direction: 'asc' }] }),
  'High + recommended, by age': WorklistQuery.parse({
    categories: ['High'],
    recommendedOnly: true,
    sort: [{ column: 'age', direction: 'desc' }],
  }),
  'search "0042"': WorklistQuery.parse({ search: '0042' }),
};

const build: number[] = [];
const timings: Record<string, { first: number[]; next: number[] }> = {};
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  const index = new WorklistIndex(data);
  build.push(performance.now() - t);
  for (const [name, query] of Object.entries(queries)) {
    timings[name] ??= { first: [], next: [] };
    t = performance.now();
    index.page(query, 0, 200);
    timings[name].first.push(performance.now() - t);
    t = performance.now();
    for (let p = 1; p <= 10; p++) index.page(query, p * 200, 200);
    timings[name].next.push((performance.now() - t) / 10);
  }
}

console.log(`worklist index, ${rows} rows, median of ${runs} runs`);
console.log(`  build index: ${median(build).toFixed(1)} ms`);
for (const [name, t] of Object.entries(timings)) {
  console.log(
    `  ${name.padEnd(28)} first page ${median(t.first).toFixed(1)} ms, next pages ${median(t.next).toFixed(3)} ms`,
  );
}
