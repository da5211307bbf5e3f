/**
 * npm run bench:hostile — streaming ingest of hostile files: one huge unquoted field, and an unclosed quote followed
 * by rows, at 10, 25 and 50 MB. Each run is a fresh process so that its peak RSS is its own; prints the median of
 * BENCH_RUNS runs (default 3) of wall time and peak RSS. Parse cost must grow linearly with the file.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { FEATURE_COLUMNS } from '../../core/schema/columns';
import { median } from '../../core/util/median';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES_MB = [10, 25, 50];
const HEADER = `patient_id,${FEATURE_COLUMNS.join(',')}\n`;
const ROW = 'P000001,6,148,72,35,0,33.6,0.627,50\n';

/** Writes `bytes` of filler after `head`, in 1 MiB blocks so that generating a 50 MB file stays small. */
function writeFile(path: string, head: string, filler: string, bytes: number, tail: string): void {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  const block = filler.repeat(Math.ceil((1 << 20) / filler.length));
  let written = head.length;
  while (written < bytes) {
    const piece = block.slice(0, Math.min(block.length, bytes - written));
    writeSync(fd, piece);
    written += piece.length;
  }
  writeSync(fd, tail);
  closeSync(fd);
}

async function child(path: string): Promise<void> {
  const started = process.hrtime.bigint();
  const result = await ingestCsvFile(path, { mode: 'batch' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const report = result.report;
  const rule = report.errors[0]?.rule ?? report.fileError?.code ?? 'none';
  // maxRSS is in kilobytes.
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, rssMb, valid: report.rowsValid, rejected: report.rowsRejected, rule }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-bench-hostile-'));
  const self = fileURLToPath(import.meta.url);
  try {
    console.log(`hostile ingest, median of ${RUNS} runs (wall time, peak RSS of the whole process)`);
    console.log('case                     size    time      peak RSS   valid  rejected  first rule');
    for (const kind of ['single-field', 'unclosed-quote'] as const) {
      for (const mb of SIZES_MB) {
        const path = join(dir, `${kind}-${mb}.csv`);
        const bytes = mb * 1_000_000;
        if (kind === 'single-field') writeFile(path, `${HEADER}${ROW}P000002,`, 'A', bytes, `\n${ROW}`);
        else writeFile(path, `${HEADER}${ROW}P000002,1,"85,66,29,0,26.6,0.351,31\n`, ROW, bytes, '');
        const runs: { ms: number; rssMb: number; valid: number; rejected: number; rule: string }[] = [];
        for (let run = 0; run < RUNS; run++) {
          const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', path], { encoding: 'utf8' });
          runs.push(JSON.parse(out));
        }
        const ms = median(runs.map((r) => r.ms));
        const rss = median(runs.map((r) => r.rssMb));
        const { valid, rejected, rule } = runs[0];
        console.log(
          `${kind.padEnd(24)} ${`${mb} MB`.padStart(5)} ${`${(ms / 1000).toFixed(2)} s`.padStart(8)} ${`${rss.toFixed(0)} MB`.padStart(10)} ${String(valid).padStart(7)} ${String(rejected).padStart(9)}  ${rule}`,
        );
        rmSync(path);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(process.argv[childAt + 1]);
else await main();
