// Mutation testing of the numeric and clinical core, one module group per run: npm run test:mutation sets
// MUTATION_GROUP and MUTATION_REPORT (the group's JSON report). Not part of CI: the whole run takes tens of minutes.
import { readFileSync } from 'node:fs';

const groups = JSON.parse(readFileSync(new URL('./scripts/mutation/groups.json', import.meta.url), 'utf8'));
const name = process.env.MUTATION_GROUP;
const group = groups[name];
if (!group) throw new Error(`set MUTATION_GROUP to one of: ${Object.keys(groups).join(', ')}`);
const report = process.env.MUTATION_REPORT;
if (!report) throw new Error('set MUTATION_REPORT to the JSON report file');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // Each group runs only its own tests: related mode would follow imports into the slow training suites.
  vitest: { configFile: 'vitest.config.ts', related: false },
  testFiles: group.tests,
  mutate: [...group.mutate, '!**/*.test.ts'],
  // TypeScript 7 has no compiler API for Stryker's type checker; pointing at a missing tsconfig skips that step.
  tsconfigFile: 'stryker-has-no-tsconfig.json',
  checkers: [],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 5000,
  reporters: ['json', 'progress', 'clear-text'],
  clearTextReporter: { allowColor: false, logTests: false },
  jsonReporter: { fileName: report },
  incrementalFile: report.replace(/\.json$/, '.incremental.json'),
  ignorePatterns: ['/dist', '/release', '/renderer', '/e2e', '/test-results', '/playwright-report', '/.cache'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
