/**
 * npm run bench:startup -- [--runs 3] [--warmup 1] [--rows 1000000] [--baseline DIR] [--keep]
 * Start-up and whole-process cost of the screen CLI as `npm run screen` starts it (the command of the checkout's
 * package.json "screen" script, run without npm itself, from the checkout's folder): --help, a 10,000-row batch and
 * a --rows batch (default 1,000,000; the SQLite store, the audit and drift detection included, as the CLI's
 * defaults). Each run is a fresh process under /usr/bin/time -v, in a fresh workspace (database, output folder);
 * prints the medians of wall time and peak RSS per case, and with --baseline DIR (another checkout with its
 * node_modules, e.g. an older commit) the same beside it and the ratio. The synthetic batches are drawn around the
 * training distribution (core/screening/synthetic-batch.ts), as bench:screen's. Before the timed rounds, --warmup
 * untimed runs of each case and checkout, so that each runs as on any day after its first: with the V8 code cache a
 * bundle writes on its first run (scripts/code-cache.cjs), or tsx's compile cache for a checkout run through tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestCsvFile } from '../../core/ingest/csv-ingest';
import { writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import { pimaPath } from '../../core/testing/pima';
import { median } from '../../core/util/median';
import { buildCli } from '../build-cli';

const ROOT = resolve(import.meta.dirname, '../..');

interface Sample {
  wallS: number;
  /** user + system CPU time of the process and its threads: less sensitive than wall time to a busy machine. */
  cpuS: number;
  peakRssMb: number;
}

/** The "screen" npm script of a checkout as a command line: `node <flags> ...` (no shell syntax in it). */
export function screenCommand(checkout: string): string[] {
  const pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'));
  const script: string = pkg.scripts.screen;
  if (/[|&;<>$`'"]/.test(script)) throw new Error(`${checkout}: the screen script is not a plain command: ${script}`);
  const words = script.split(/\s+/).filter(Boolean);
  // `tsx file.ts` as the script: tsx's own binary from the checkout's node_modules.
  if (words[0] === 'tsx') words[0] = join(checkout, 'node_modules/.bin/tsx');
  if (words[0] === 'node') words[0] = process.execPath;
  return words;
}

/** A fresh workspace's config for `screen` in `ws` (database, outputs, rejected rows), with checkout's model. */
export function writeWorkspaceConfig(ws: string, checkout: string): { config: string; dbPath: string } {
  const config = join(ws, 'config.json');
  const dbPath = join(ws, 'db/glucoscreen.db');
  writeFileSync(
    config,
    JSON.stringify({
      paths: {
        dbPath,
        outputDir: join(ws, 'out'),
        rejectedDir: join(ws, 'rejected'),
        modelDir: join(checkout, 'models/production'),
      },
    }),
  );
  return { config, dbPath };
}

/** Elapsed wall time and peak RSS from GNU time's -v report. */
export function parseTimeReport(report: string): Sample {
  const wall = report.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = report.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const user = report.match(/User time \(seconds\): ([\d.]+)/);
  const system = report.match(/System time \(seconds\): ([\d.]+)/);
  if (!wall || !rss || !user || !system)
    throw new Error(`no wall time, CPU time or peak RSS in: ${report.slice(-500)}`);
  const wallS = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { wallS, cpuS: Number(user[1]) + Number(system[1]), peakRssMb: Number(rss[1]) / 1024 };
}

/**
 * Which form of the CLI a run executed: scripts/run-cli.cjs says so on stderr under GLUCOSCREEN_CLI_TRACE=1
 * ("[cli] bundle ..." or "[cli] tsx ..."); a checkout whose script starts the sources itself (`--import tsx`, or
 * tsx as the command) runs tsx without saying so.
 */
export function cliForm(command: string[], stderr: string): string {
  const traced = stderr.match(/^\[cli\] (bundle|tsx) /m);
  if (traced) return traced[1];
  if (command.some((w) => w === 'tsx' || w.endsWith('/tsx'))) return 'tsx';
  return 'unknown';
}

function runOnce(checkout: string, args: string[], work: string): Sample & { form: string } {
  const command = screenCommand(checkout);
  const [cmd, ...rest] = command;
  const timeOut = join(work, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-v', '-o', timeOut, cmd, ...rest, ...args], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, GLUCOSCREEN_CLI_TRACE: '1' },
  });
  if (r.status !== 0) throw new Error(`${checkout}: screen ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ...parseTimeReport(readFileSync(timeOut, 'utf8')), form: cliForm(command, r.stderr) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      rows: { type: 'string', default: '1000000' },
      baseline: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const bigRows = Number(values.rows);
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (Debian: apt-get install -y time)');
  const checkouts = [{ label: 'this checkout', dir: ROOT }];
  if (values.baseline) checkouts.push({ label: `baseline ${values.baseline}`, dir: resolve(values.baseline) });
  // scripts/run-cli.cjs falls back to the sources through tsx when the bundle is older than a source: build it, so
  // that this checkout is measured as shipped, and each run below reports which form it ran.
  const built = await buildCli();
  console.log(`built ${built.bundles.length} CLI bundles for this checkout (dist/cli/)`);
  const work = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
    if (!pima.ok) throw new Error('cannot read the Pima data file');
    const batches = new Map<number, string>();
    for (const rows of [10_000, bigRows]) {
      const path = join(work, `batch_${rows}.csv`);
      writeSyntheticBatch(path, pima.table, { rows, seed: rows });
      batches.set(rows, path);
    }
    const cases: { name: string; args: (ws: string, dir: string) => string[] }[] = [
      { name: '--help', args: () => ['--help'] },
      ...[10_000, bigRows].map((rows) => ({
        name: `${rows.toLocaleString('en')} rows`,
        args: (ws: string, dir: string) => [
          '--input',
          batches.get(rows) as string,
          '--config',
          writeWorkspaceConfig(ws, dir).config,
        ],
      })),
    ];
    const results = new Map<string, Sample[]>();
    const forms = new Map<string, Set<string>>();
    let n = 0;
    for (let round = 0; round < Number(values.warmup); round++) {
      for (const c of cases) {
        for (const checkout of checkouts) {
          const ws = join(work, `warmup-${n++}`);
          mkdirSync(ws);
          runOnce(checkout.dir, c.args(ws, checkout.dir), ws);
          rmSync(ws, { recursive: true, force: true });
        }
      }
    }
    // Rounds interleave the checkouts, so that a busier minute of the machine does not fall on one side only.
    for (let round = 0; round < runs; round++) {
      for (const c of cases) {
        for (const checkout of checkouts) {
          const ws = join(work, `run-${n++}`);
          mkdirSync(ws);
          const sample = runOnce(checkout.dir, c.args(ws, checkout.dir), ws);
          rmSync(ws, { recursive: true, force: true });
          const key = `${checkout.label}|${c.name}`;
          results.set(key, [...(results.get(key) ?? []), sample]);
          forms.set(checkout.label, (forms.get(checkout.label) ?? new Set()).add(sample.form));
        }
      }
    }
    console.log(
      `runs: ${runs} per case after ${values.warmup} untimed, each a fresh process under /usr/bin/time -v; medians: wall (min-max), CPU (user + system), peak RSS`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} on ${availableParallelism()} cores`,
    );
    for (const checkout of checkouts) {
      const ran = [...(forms.get(checkout.label) ?? [])].join(' and ');
      console.log(`${checkout.label}: ${screenCommand(checkout.dir).join(' ')} (ran as: ${ran})`);
    }
    if (forms.get(checkouts[0].label)?.has('tsx'))
      console.log('WARNING: this checkout ran through tsx, not its bundle: a source changed during the benchmark?');
    const cell = (samples: Sample[]) => {
      const wall = samples.map((s) => s.wallS);
      const rss = samples.map((s) => s.peakRssMb);
      const cpu = median(samples.map((s) => s.cpuS));
      return `${median(wall).toFixed(2)} s (${Math.min(...wall).toFixed(2)}-${Math.max(...wall).toFixed(2)}), cpu ${cpu.toFixed(2)} s, ${median(rss).toFixed(0)} MB`;
    };
    const header = [
      'case',
      ...checkouts.map((c) => c.label),
      ...(checkouts.length > 1 ? ['wall ratio', 'CPU ratio'] : []),
    ];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map(() => '---').join(' | ')} |`);
    for (const c of cases) {
      const row = checkouts.map((k) => results.get(`${k.label}|${c.name}`) as Sample[]);
      const pct = (key: 'wallS' | 'cpuS') =>
        `${((100 * median(row[0].map((s) => s[key]))) / median(row[1].map((s) => s[key]))).toFixed(0)} %`;
      const ratio = row.length > 1 ? [pct('wallS'), pct('cpuS')] : [];
      console.log(`| ${[c.name, ...row.map(cell), ...ratio].join(' | ')} |`);
    }
  } finally {
    if (values.keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
