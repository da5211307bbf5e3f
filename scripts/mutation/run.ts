/**
 * npm run test:mutation [-- --group "metrics" --group "monitoring"]: runs Stryker on the chosen groups (all by
 * default) and prints each group's mutation score, with mutants marked equivalent (Stryker's disable comments)
 * left out of the score.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { groupScores, type MutationReport } from './scores';

const ROOT = resolve(import.meta.dirname, '../..');
const REPORT = resolve(ROOT, 'reports/mutation/mutation.json');
const groups: Record<string, string[]> = JSON.parse(readFileSync(resolve(import.meta.dirname, 'groups.json'), 'utf8'));

const { values } = parseArgs({
  options: { group: { type: 'string', multiple: true }, 'report-only': { type: 'boolean' } },
});
const chosen = values.group ?? Object.keys(groups);
for (const name of chosen) {
  if (!groups[name]) {
    console.error(`unknown group "${name}"; groups: ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
}

if (!values['report-only']) {
  const run = spawnSync('npx', ['stryker', 'run'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUPS: chosen.join('|') },
  });
  if (run.status !== 0) process.exit(run.status ?? 2);
}

const report: MutationReport = JSON.parse(readFileSync(REPORT, 'utf8'));
const rows = groupScores(report, Object.fromEntries(chosen.map((name) => [name, groups[name]])));
console.log('\n| group | score | killed | survived | no coverage | timeout | equivalent (ignored) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const score = r.score === null ? 'n/a' : `${(r.score * 100).toFixed(1)} %`;
  console.log(
    `| ${r.group} | ${score} | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${r.timeout} | ${r.ignored} |`,
  );
}
