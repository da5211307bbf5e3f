/**
 * npm run test:mutation [-- --group "metrics" --group "monitoring"] [-- --concurrency 1] [-- --incremental]:
 * runs Stryker once per chosen group (all by default), each on its own mutants and its own tests, then prints
 * each group's mutation score, with mutants marked equivalent (Stryker's disable comments) left out of the score,
 * and exits 1 when a group is below the required score.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, type GroupRun, groupScores, REQUIRED_SCORE, reportFileName } from './scores';

const ROOT = resolve(import.meta.dirname, '../..');
const groups: Record<string, { mutate: string[]; tests: string[] }> = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'groups.json'), 'utf8'),
);

const { values } = parseArgs({
  options: {
    group: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
    incremental: { type: 'boolean' },
    'report-only': { type: 'boolean' },
  },
});
const chosen = values.group ?? Object.keys(groups);
for (const name of chosen) {
  if (!groups[name]) {
    console.error(`unknown group "${name}"; groups: ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
}

const runs: GroupRun[] = [];
const failed: string[] = [];
const started = Date.now();
// The machine is shared, so a run's time means little without the load it ran under: sample the 1-minute average.
const loadSamples: number[] = [];
const sampler = setInterval(() => loadSamples.push(loadavg()[0]), 15_000);
sampler.unref();
for (const name of chosen) {
  let seconds: number | null = null;
  if (!values['report-only']) {
    const args = ['stryker', 'run'];
    if (values.concurrency) args.push('--concurrency', values.concurrency);
    if (values.incremental) args.push('--incremental');
    console.log(`\n== ${name}: Stryker on ${groups[name].mutate.join(', ')}`);
    const groupStarted = Date.now();
    const run = spawn('npx', args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, MUTATION_GROUP: name, MUTATION_REPORT: reportFileName(name) },
    });
    const status = await new Promise<number | string>((done) =>
      run.on('close', (code, signal) => done(code ?? `${signal}`)),
    );
    seconds = (Date.now() - groupStarted) / 1000;
    if (status !== 0) {
      // The other groups still run; this one has no score and fails the whole run.
      console.error(`Stryker failed on group "${name}" (exit ${status})`);
      failed.push(name);
      continue;
    }
  }
  const reportPath = resolve(ROOT, reportFileName(name));
  if (!existsSync(reportPath)) {
    console.error(`no report for group "${name}" yet (${reportFileName(name)})`);
    failed.push(name);
    continue;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const [score] = groupScores(report, { [name]: groups[name].mutate });
  runs.push({ ...score, seconds });
}

console.log(`\n${formatTable(runs)}`);
if (!values['report-only']) {
  const sorted = [...loadSamples].sort((a, b) => a - b);
  const load =
    sorted.length === 0
      ? 'not sampled'
      : `1-minute load average min ${sorted[0].toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)} (${sorted.length} samples)`;
  console.log(`\nwhole run: ${((Date.now() - started) / 60000).toFixed(1)} min; ${load}`);
}
for (const r of runs.filter((x) => x.survivedWithoutTests > 0)) {
  console.warn(
    `${r.group}: ${r.survivedWithoutTests} survivors completed no test (counted as survived; re-run to confirm)`,
  );
}
if (failed.length > 0) console.error(`no score for: ${failed.join(', ')}`);
const below = runs.filter((r) => r.score === null || r.score < REQUIRED_SCORE);
if (below.length > 0) console.error(`below ${REQUIRED_SCORE * 100} %: ${below.map((r) => r.group).join(', ')}`);
if (failed.length > 0 || below.length > 0) process.exit(1);
