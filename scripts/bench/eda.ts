/**
 * Benchmark: analyseDataset on a synthetic screening batch (default 1,000,000 rows, no outcomes), then the same rows
 * with a made-up outcome (Glucose >= 126, only to time the outcome sections: Mann-Whitney, per-class histograms).
 * Run: npx tsx scripts/bench/eda.ts [--rows 1000000] [--runs 7]
 * Prints every run and the medians of wall time and of this process's CPU time (user + system, all its threads,
 * GC included); on a shared machine the wall time grows with the load and the CPU time much less. The first run
 * includes JIT warm-up, so it is reported but kept out of the medians.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyseDataset } from '../../core/eda/analyse-dataset';
import { syntheticTable } from '../../core/screening/synthetic-batch';
import type { PatientTable } from '../../core/table/patient-table';
import { loadPimaTable } from '../../core/testing/pima';
import { median } from '../../core/util/median';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function time(label: string, table: PatientTable, runs: number): void {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const report = analyseDataset(table);
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (run === 0) {
      const bytes = JSON.stringify(report).length;
      console.log(`${label}: warm-up ${ms.toFixed(0)} ms, report ${(bytes / 1024).toFixed(1)} KiB as JSON`);
    } else {
      times.push(ms);
      cpuTimes.push(cpuMs);
    }
  }
  console.log(`${label}: wall ${times.map((t) => t.toFixed(0)).join(', ')} ms; median ${median(times).toFixed(0)} ms`);
  console.log(
    `${label}: cpu  ${cpuTimes.map((t) => t.toFixed(0)).join(', ')} ms; median ${median(cpuTimes).toFixed(0)} ms`,
  );
}

const rows = arg('rows', 1_000_000);
const runs = arg('runs', 7);
const batch = syntheticTable(await loadPimaTable(), { rows: rows, seed: 20251126 });
console.log(
  `analyseDataset, ${rows.toLocaleString('en-US')} synthetic rows, node ${process.version}, ` +
    `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
);
time('no outcome', batch, runs);
const outcome = new Uint8Array(rows);
for (let i = 0; i < rows; i++) outcome[i] = batch.features.Glucose[i] >= 126 ? 1 : 0;
time('with outcome', { ...batch, outcome }, runs);
