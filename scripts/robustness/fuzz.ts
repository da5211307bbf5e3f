/**
 * npm run fuzz -- [--runs N] [--seed S] [--path P] [--minutes M]
 * The long run of the ingest fuzzer (core/testing/ingest-fuzz.ts, fast-check; CI runs a few thousand cases as
 * core/ingest/ingest-fuzz.test.ts): N cases (default 100,000; or FUZZ_RUNS) from seed S (default random; or
 * FUZZ_SEED), stopping after M minutes (default 10; or FUZZ_MINUTES). Prints the seed first, so that any run can be
 * replayed. On a failure, fast-check shrinks the file; the script prints what is wrong with it, the seed and path
 * that replay it (`--seed S --path P --runs 1`), and writes its bytes and spec next to each other in a folder it
 * names, to become a regression test. Exit code 1 when a case failed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzIngest } from '../../core/testing/ingest-fuzz';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    minutes: { type: 'string' },
  },
  strict: true,
});
const number = (value: string | undefined, fallback: number, name: string) => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, not ${value}`);
  return n;
};
const runs = number(values.runs ?? process.env.FUZZ_RUNS, 100_000, 'runs');
const seedText = values.seed ?? process.env.FUZZ_SEED;
const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, not ${seedText}`);
const minutes = number(values.minutes ?? process.env.FUZZ_MINUTES, 10, 'minutes');

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fuzz-'));
try {
  console.log(
    `fuzzing the CSV ingest: up to ${runs} cases, seed ${seed}${values.path ? ` path ${values.path}` : ''}, at most ${minutes} min`,
  );
  const run = await fuzzIngest({ dir, runs, seed, path: values.path, interruptAfterMs: minutes * 60_000 });
  console.log(
    `fuzz: ${run.cases} cases, ${run.failed ? 1 : 0} failures, seed ${run.seed}, ${(run.elapsedMs / 1000).toFixed(1)} s`,
  );
  if (run.failed) {
    console.log(`FAIL: ${run.error}`);
    console.log(`replay: npm run fuzz -- --seed ${run.seed} --path ${run.path} --runs 1`);
    if (run.counterexample) {
      const out = join(tmpdir(), `glucoscreen-fuzz-counterexample-${run.seed}`);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'file.csv'), run.counterexample.bytes);
      writeFileSync(
        join(out, 'spec.json'),
        `${JSON.stringify(run.counterexample.spec, (_, v) => (v instanceof Uint8Array ? Array.from(v) : v), 2)}\n`,
      );
      console.log(`counterexample (shrunk): ${out}/file.csv, its spec ${out}/spec.json`);
    }
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
