import { describe, expect, test } from 'vitest';
import { groupScores, matchesPattern } from './scores';

describe('mutation group scores', () => {
  test('patterns match literal paths and one folder level of *.ts, never tests', () => {
    expect(matchesPattern('core/metrics/f-beta.ts', 'core/metrics/*.ts')).toBe(true);
    expect(matchesPattern('/abs/repo/core/metrics/f-beta.ts', 'core/metrics/*.ts')).toBe(true);
    expect(matchesPattern('core/metrics/f-beta.test.ts', 'core/metrics/*.ts')).toBe(false);
    expect(matchesPattern('core/metrics/sub/x.ts', 'core/metrics/*.ts')).toBe(false);
    expect(matchesPattern('core/drift/ks-test.ts', 'core/drift/ks-test.ts')).toBe(true);
    expect(matchesPattern('core/drift/ks-test-extra.ts', 'core/drift/ks-test.ts')).toBe(false);
  });

  test('the score is detected over valid mutants; equivalent (ignored) and erroring mutants are left out', () => {
    const mutants = (statuses: string[]) => ({ mutants: statuses.map((status) => ({ status })) });
    const report = {
      files: {
        'core/metrics/a.ts': mutants(['Killed', 'Killed', 'Survived', 'Ignored', 'CompileError']),
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
      killed: 3,
      survived: 1,
      noCoverage: 1,
      timeout: 1,
      ignored: 1,
      score: 4 / 6,
    });
    expect(drift.score).toBe(0);
    expect(empty.score).toBeNull();
  });
});
