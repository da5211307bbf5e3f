import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { fuzzCase, fuzzIngest } from '../testing/ingest-fuzz';

/**
 * Property test: mutated Pima-like files (core/testing/ingest-fuzz.ts) must never throw, both parse paths must
 * agree, and every row read is kept or rejected with a hard rule. FUZZ_CASES and FUZZ_SEED change the run;
 * `npm run fuzz` is the long run.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(`${CASES} mutated Pima-like files: no throw, both paths agree, every row kept or rejected by a rule`, async () => {
  const run = await fuzzIngest({ dir, cases: CASES, firstSeed: FIRST_SEED });
  console.log(`fuzzed ${run.cases} files from seed ${FIRST_SEED} in ${(run.elapsedMs / 1000).toFixed(1)} s`);
  expect(run.failures).toEqual([]);
  expect(run.cases).toBe(CASES);
}, 600_000);

test('the mutations reach every encoding and line ending the brief names', () => {
  const starts = new Set<string>();
  let crOnly = 0;
  let nul = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const { bytes } = fuzzCase(seed);
    starts.add(bytes.subarray(0, 2).toString('hex'));
    if (bytes.includes(13) && !bytes.includes(10)) crOnly++;
    if (bytes.includes(0)) nul++;
  }
  // UTF-16 LE and BE with their BOMs, UTF-8 with a BOM, plain text.
  for (const start of ['fffe', 'feff', 'efbb', '7061']) expect([...starts]).toContain(start);
  expect(crOnly).toBeGreaterThan(0);
  expect(nul).toBeGreaterThan(0);
});
