/**
 * npm run bench:preprocess — preprocessing (impute, engineer) and the float32 ONNX matrix on 1,000,000 rows,
 * plus streaming CSV ingest (parse + validate) of the same rows. Prints the median of several runs.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvIngest } from '../../core/ingest/csv-ingest';
import { toFloat32RowMajor } from '../../core/preprocess/model-matrix';
import { fitPreprocessor, transformFeatures } from '../../core/preprocess/pipeline';
import { syntheticTable, writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import { loadPimaTable } from '../../core/testing/pima';
import { median } from '../../core/util/median';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const pima = await loadPimaTable();
const params = fitPreprocessor(pima);
const table = syntheticTable(pima, { rows: ROWS, seed: 42 });
const out = new Float32Array(ROWS * 11);

const transformMs: number[] = [];
const matrixMs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  let matrix = transformFeatures(params, table);
  transformMs.push(
    time(() => {
      matrix = transformFeatures(params, table);
    }),
  );
  matrixMs.push(time(() => toFloat32RowMajor(matrix, out)));
}

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-bench-'));
const csv = join(dir, 'batch.csv');
writeSyntheticBatch(csv, pima, { rows: ROWS, seed: 42 });
const ingestMs: number[] = [];
for (let run = 0; run < Math.min(RUNS, 5); run++) {
  const start = process.hrtime.bigint();
  const ingest = new CsvIngest(csv, { mode: 'batch', zScoreReference: params.featureStats });
  let rows = 0;
  for await (const chunk of ingest.chunks()) rows += chunk.rowCount;
  if (rows !== ROWS) throw new Error(`ingest read ${rows} rows, expected ${ROWS}`);
  ingestMs.push(Number(process.hrtime.bigint() - start) / 1e6);
}
const sizeMb = statSync(csv).size / 1e6;
rmSync(dir, { recursive: true, force: true });

const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en-US')} rows/s`;
const line = (name: string, runs: number[]) =>
  `${name.padEnd(38)} median ${median(runs).toFixed(1).padStart(8)} ms  ${rate(median(runs)).padStart(18)}  (runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`;
console.log(`bench:preprocess — ${ROWS.toLocaleString('en-US')} synthetic rows, Node ${process.version}`);
console.log(line('impute + engineer (transformFeatures)', transformMs));
console.log(line('float32 row-major [N, 11]', matrixMs));
console.log(line(`CSV ingest, parse + validate (${sizeMb.toFixed(0)} MB)`, ingestMs));
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
