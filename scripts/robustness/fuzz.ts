/**
 * npm run fuzz -- [--cases N] [--seed S] [--minutes M]
 * The long run of the ingest fuzzer (core/testing/ingest-fuzz.ts; CI runs its first 1,000 cases as a test): cases
 * S, S + 1, ... until N ran or M minutes passed (defaults: 100,000 cases from seed 1, 10 minutes; or FUZZ_CASES,
 * FUZZ_SEED, FUZZ_MINUTES). Prints progress, each failing seed with what went wrong, and a summary line
 * ("fuzz: N cases, F failures, seeds S-E"); replay one case with `--seed <failing seed> --cases 1`.
 * Exit code 1 when any case failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzIngest } from '../../core/testing/ingest-fuzz';

const { values } = parseArgs({
  options: { cases: { type: 'string' }, seed: { type: 'string' }, minutes: { type: 'string' } },
  strict: true,
});
const number = (value: string | undefined, fallback: number, name: string) => {
  const n = Number(value ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
};
const cases = number(values.cases ?? process.env.FUZZ_CASES, 100_000, 'cases');
const firstSeed = number(values.seed ?? process.env.FUZZ_SEED, 1, 'seed');
const minutes = number(values.minutes ?? process.env.FUZZ_MINUTES, 10, 'minutes');

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fuzz-'));
let lastReport = performance.now();
try {
  console.log(`fuzzing the CSV ingest: up to ${cases} cases from seed ${firstSeed}, for at most ${minutes} min`);
  const run = await fuzzIngest({
    dir,
    cases,
    firstSeed,
    timeBudgetMs: minutes * 60_000,
    onCase(seed, problems) {
      if (problems.length > 0) console.log(`FAIL seed ${seed}: ${problems.join('; ')}`);
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  ... ${seed - firstSeed + 1} cases`);
      }
    },
  });
  const last = run.firstSeed + run.cases - 1;
  console.log(
    `fuzz: ${run.cases} cases, ${run.failures.length} failures, seeds ${run.firstSeed}-${last}, ` +
      `${(run.elapsedMs / 1000).toFixed(1)} s${run.stoppedByTime ? ' (time budget reached)' : ''}`,
  );
  if (run.failures.length > 0) {
    console.log(`replay: npm run fuzz -- --seed ${run.failures[0].seed} --cases 1`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
