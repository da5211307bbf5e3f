import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatTable, groupScores, matchesPattern, REQUIRED_SCORE, reportFileName } from './scores';

describe('mutation group scores', () => {
  test('patterns match literal paths and one folder level of *.ts, never tests', () => {
    expect(matchesPattern('core/metrics/f-beta.ts', 'core/metrics/*.ts')).toBe(true);
    expect(matchesPattern('/abs/repo/core/metrics/f-beta.ts', 'core/metrics/*.ts')).toBe(true);
    expect(matchesPattern('core/metrics/f-beta.test.ts', 'core/metrics/*.ts')).toBe(false);
    expect(matchesPattern('core/metrics/sub/x.ts', 'core/metrics/*.ts')).toBe(false);
    expect(matchesPattern('core/drift/ks-test.ts', 'core/drift/ks-test.ts')).toBe(true);
    expect(matchesPattern('core/drift/ks-test-extra.ts', 'core/drift/ks-test.ts')).toBe(false);
  });

  test('the score is detected over valid mutants; equivalent, static and erroring mutants are left out', () => {
    const mutants = (statuses: string[]) => ({ mutants: statuses.map((status) => ({ status })) });
    const staticMutant = { status: 'Ignored', statusReason: 'Static mutant (and "ignoreStatic" was enabled)' };
    const equivalent = { status: 'Ignored', statusReason: 'the score test ends the loop anyway' };
    const report = {
      files: {
        'core/metrics/a.ts': {
          mutants: [
            ...mutants(['Killed', 'Killed', 'Survived', 'CompileError']).mutants,
            equivalent,
            staticMutant,
            { status: 'Survived', testsCompleted: 0 },
            { status: 'Killed', testsCompleted: 0 },
          ],
        },
        'core/metrics/b.ts': mutants(['Timeout', 'NoCoverage', 'Killed', 'RuntimeError']),
        'core/drift/c.ts': mutants(['Survived']),
      },
    };
    const [metrics, drift, empty] = groupScores(report, {
      metrics: ['core/metrics/*.ts'],
      drift: ['core/drift/c.ts'],
      empty: ['core/none.ts'],
    });
    expect(metrics).toEqual({
      group: 'metrics',
      killed: 4,
      survived: 2,
      noCoverage: 1,
      timeout: 1,
      ignored: 1,
      staticIgnored: 1,
      score: 5 / 8,
      survivedWithoutTests: 1,
    });
    expect(drift.score).toBe(0);
    expect(empty.score).toBeNull();
  });

  test('the table counts every mutant, rounds scores down so a group just short of 90 % never shows 90.0 %', () => {
    const base = {
      killed: 0,
      survived: 0,
      noCoverage: 0,
      timeout: 0,
      ignored: 0,
      staticIgnored: 0,
      survivedWithoutTests: 0,
    };
    const table = formatTable([
      {
        ...base,
        group: 'a',
        killed: 8990,
        timeout: 6,
        survived: 1004,
        ignored: 3,
        staticIgnored: 2,
        score: 8996 / 10000,
        seconds: 61.6,
      },
      { ...base, group: 'b', score: null, seconds: null },
    ]);
    const [, , a, b] = table.split('\n');
    expect(a).toBe('| a | 10005 | 8990 | 6 | 1004 | 0 | 3 | 2 | 89.9 % | 1 min 2 s |');
    expect(b).toBe('| b | 0 | 0 | 0 | 0 | 0 | 0 | 0 | n/a |  |');
    expect(8996 / 10000 < REQUIRED_SCORE).toBe(true);
  });

  test('each group has its own report file under reports/', () => {
    expect(reportFileName('header mapping and validation rules')).toBe(
      'reports/mutation/header-mapping-and-validation-rules.json',
    );
  });
});

describe('mutation groups', () => {
  const groups: Record<string, { mutate: string[]; tests: string[] }> = JSON.parse(
    readFileSync(new URL('./groups.json', import.meta.url), 'utf8'),
  );
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // The groups' patterns are literal paths or one folder's `*<suffix>` (as Stryker and matchesPattern read them).
  const filesOf = (pattern: string): string[] => {
    if (!pattern.includes('*')) return existsSync(`${root}/${pattern}`) ? [pattern] : [];
    const dir = pattern.slice(0, pattern.lastIndexOf('/'));
    const suffix = pattern.slice(pattern.lastIndexOf('*') + 1);
    return readdirSync(`${root}/${dir}`)
      .filter((name) => name.endsWith(suffix))
      .map((name) => `${dir}/${name}`);
  };

  test('every source file is mutated by one group only, and every test file runs in one group only', () => {
    // A file in two groups would be mutated and tested twice in the whole run.
    const sources = Object.values(groups)
      .flatMap((g) => g.mutate.flatMap(filesOf))
      .filter((f) => !f.endsWith('.test.ts'));
    for (const source of sources) {
      const owners = Object.entries(groups).filter(([, g]) => g.mutate.some((p) => matchesPattern(source, p)));
      expect(
        owners.map(([name]) => name),
        source,
      ).toHaveLength(1);
    }
    const testFiles = Object.values(groups).flatMap((g) => g.tests.flatMap(filesOf));
    expect(testFiles.length).toBeGreaterThan(Object.keys(groups).length);
    expect(new Set(testFiles).size).toBe(testFiles.length);
  });

  test('every pattern names files that exist', () => {
    for (const [name, g] of Object.entries(groups)) {
      for (const pattern of [...g.mutate, ...g.tests]) {
        expect(filesOf(pattern).length, `${name}: ${pattern}`).toBeGreaterThan(0);
      }
    }
  });
});
