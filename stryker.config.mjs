// Mutation testing of the numeric and clinical core (npm run test:mutation). Not part of CI: it takes tens of minutes.
import { readFileSync } from 'node:fs';

const groups = JSON.parse(readFileSync(new URL('./scripts/mutation/groups.json', import.meta.url), 'utf8'));
const chosen = process.env.MUTATION_GROUPS ? process.env.MUTATION_GROUPS.split('|') : Object.keys(groups);
const mutate = chosen.flatMap((name) => {
  if (!groups[name]) throw new Error(`unknown mutation group "${name}"; groups: ${Object.keys(groups).join(', ')}`);
  return groups[name];
});

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.config.ts', related: true },
  mutate: [...mutate, '!**/*.test.ts'],
  // TypeScript 7 has no compiler API for Stryker's type checker; pointing at a missing tsconfig skips that step.
  tsconfigFile: 'stryker-has-no-tsconfig.json',
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ['json', 'progress', 'clear-text'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
