import type { ImportProgress } from '@contract/outputs';
import { describe, expect, test } from 'vitest';
import { importProgressView } from './import-progress';

const at = (phase: ImportProgress['phase'], done: number, total: number | null): ImportProgress => ({
  operationId: 'op',
  phase,
  done,
  total,
});

describe('importProgressView', () => {
  test('"Done" always comes with a full bar, though the final event carries no row counts', () => {
    expect(importProgressView(at('done', 0, null))).toEqual({ label: 'Done', percent: 100 });
    expect(importProgressView(at('done', 500, 1000))).toEqual({ label: 'Done', percent: 100 });
  });

  test('no other phase reads "Done", even with every row counted', () => {
    for (const phase of ['reading', 'validating', 'scoring', 'storing'] as const) {
      for (const [done, total] of [
        [0, null],
        [0, 1000],
        [500, 1000],
        [1000, 1000],
      ] as const) {
        expect(importProgressView(at(phase, done, total)).label).not.toMatch(/done/i);
      }
    }
  });

  test('the bar follows the rows, never past full, and is indeterminate while the total is unknown', () => {
    expect(importProgressView(at('scoring', 250, 1000))).toEqual({
      label: 'Scoring patients (250 of 1000 rows)',
      percent: 25,
    });
    // Lines read stand in for rows while parsing, and can run past the estimate.
    expect(importProgressView(at('scoring', 1010, 1000)).percent).toBe(100);
    expect(importProgressView(at('reading', 0, null))).toEqual({ label: 'Reading the file', percent: undefined });
  });
});
