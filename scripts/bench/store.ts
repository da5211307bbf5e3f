/**
 * npx tsx scripts/bench/store.ts [--runs 5] [--rows 1000000] [--chunk 6000] [--page-4k]
 * Stores a synthetic screening batch (rows drawn around the Pima table, ids P0000001..., realistic scores) through
 * the real store API (openStore, batches.begin, addPredictions, commit) into a fresh WAL database per run, and
 * prints wall and CPU time of the write, rows/s and the database size, plus two readers (a full
 * iteratePredictions scan and one page of predictions() sorted by category). Medians over --runs runs.
 * --page-4k starts from a database file made with SQLite's default 4 KiB pages, as databases created before the
 * store chose 16 KiB pages are (migration 2 converts their tables but cannot change their page size).
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiskCategory } from '../../core/api/outputs';
import { DEFAULT_RISK_CUTS } from '../../core/model/risk-category';
import { categoriseInto } from '../../core/screening/categorise';
import { syntheticTable } from '../../core/screening/synthetic-batch';
import type { BatchMeta } from '../../core/store/batch-repository';
import { openStore } from '../../core/store/sqlite-store';
import { sliceTable } from '../../core/table/patient-table';
import { completedSummary } from '../../core/testing/batch-summary';
import { loadPimaTable } from '../../core/testing/pima';
import { migrateDatabaseTo } from '../../core/testing/store-fixtures';
import { median } from '../../core/util/median';
import { seededRandom } from '../../core/util/seeded-random';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}
const ROWS = arg('rows', 1_000_000);
const CHUNK = arg('chunk', 6000);
const RUNS = arg('runs', 5);
const PAGE_4K = process.argv.includes('--page-4k');
const THRESHOLD = 0.3;

const pima = await loadPimaTable();
const table = syntheticTable(pima, { rows: ROWS, seed: 42 });
// Scores are full-precision doubles like a model's output; the store does not care where they come from.
const random = seededRandom(7);
const scores = Float64Array.from({ length: ROWS }, () => random());
const categories: RiskCategory[] = new Array(ROWS);
const recommendations = new Uint8Array(ROWS);
categoriseInto(scores, ROWS, THRESHOLD, DEFAULT_RISK_CUTS, categories, recommendations);

const meta: BatchMeta = {
  fileName: 'bench.csv',
  fileSha256: '0'.repeat(64),
  source: 'bench',
  actor: 'bench',
  modelVersion: 'bench',
  threshold: THRESHOLD,
  riskCuts: DEFAULT_RISK_CUTS,
  predictionDate: new Date().toISOString(),
};
const summary = completedSummary(ROWS);

const wall: number[] = [];
const cpu: number[] = [];
const sizes: number[] = [];
const scan: number[] = [];
const page: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-bench-store-'));
  const dbPath = join(dir, 'bench.db');
  if (PAGE_4K) migrateDatabaseTo(dbPath, 0); // creates the file (schema_version only) at the default page size
  let store = openStore(dbPath, { auditTrailPath: null });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const writer = store.batches.begin(meta);
  for (let s = 0; s < ROWS; s += CHUNK) {
    const e = Math.min(ROWS, s + CHUNK);
    writer.addPredictions({
      table: sliceTable(table, s, e),
      scores: scores.subarray(s, e),
      categories: categories.slice(s, e),
      recommendations: recommendations.subarray(s, e),
    });
  }
  const record = writer.commit(summary);
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  if (record.rowsValid !== ROWS) throw new Error(`stored ${record.rowsValid} rows, expected ${ROWS}`);
  store.close(); // checkpoints the WAL into the database file
  sizes.push(statSync(dbPath).size);

  store = openStore(dbPath, { auditTrailPath: null });
  let t = performance.now();
  let seen = 0;
  for (const chunk of store.batches.iteratePredictions(record.id)) seen += chunk.table.rowCount;
  scan.push(performance.now() - t);
  if (seen !== ROWS) throw new Error(`iteratePredictions gave ${seen} rows, expected ${ROWS}`);
  t = performance.now();
  const top = store.batches.predictions(record.id, { orderBy: 'category', descending: true, limit: 100 });
  page.push(performance.now() - t);
  if (top.rows.length !== 100 || top.rows[0].category !== 'High') throw new Error('unexpected first page');
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (runs: number[]) =>
  `median ${median(runs).toFixed(0).padStart(6)} ms  (runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`;
console.log(
  `bench-store — ${ROWS.toLocaleString('en-US')} rows in ${CHUNK.toLocaleString('en-US')}-row chunks, one batch${
    PAGE_4K ? ', database made with 4 KiB pages' : ''
  }, Node ${process.version}`,
);
console.log(`write wall  ${fmt(wall)}  ${Math.round(ROWS / (median(wall) / 1000)).toLocaleString('en-US')} rows/s`);
console.log(`write CPU   ${fmt(cpu)}  ${((median(cpu) * 1000) / ROWS).toFixed(2)} us/row`);
console.log(`db size     ${(median(sizes) / 1e6).toFixed(1)} MB (${(median(sizes) / ROWS).toFixed(1)} bytes/row)`);
console.log(`scan        ${fmt(scan)}  (iteratePredictions, whole batch)`);
console.log(`page        ${fmt(page)}  (predictions(): 100 rows by category, High first)`);
