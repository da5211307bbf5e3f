import { describe, expect, test } from 'vitest';
import { emptyFeatureColumns } from '../table/patient-table';
import { heldOutWeeks } from './held-out-weeks';
import type { TrainingSet } from './training-set';

/** `original` training rows, then production rows on the given days with the given outcomes. */
function setOf(original: number, days: string[], outcomes: number[]): TrainingSet {
  const n = original + days.length;
  const outcome = new Uint8Array(n);
  outcomes.forEach((o, i) => {
    outcome[original + i] = o;
  });
  return {
    table: {
      rowCount: n,
      ids: Array.from({ length: n }, (_, i) => `r${i}`),
      lineNumbers: new Uint32Array(n),
      features: emptyFeatureColumns(n),
      outcome,
    },
    source: [...new Array(original).fill('training'), ...new Array(days.length).fill('production')],
    screenedOn: [...new Array(original).fill(null), ...days],
  };
}

const options = { weeks: 2, minRows: 4, minPerClass: 1 };

describe('holding out the most recent labelled weeks', () => {
  test('the last two ISO weeks with labelled rows, whatever the order of the rows', () => {
    // 2026-11-02 is a Monday (W45); 2026-11-30 is W49 (no labels in W48).
    const days = ['2026-11-30', '2026-11-03', '2026-11-10', '2026-11-20', '2026-12-06', '2026-11-19', '2026-11-12'];
    const split = heldOutWeeks(setOf(3, days, [1, 0, 1, 0, 0, 1, 1]), options);
    expect(split.weeks).toEqual(['2026-W47', '2026-W49']);
    expect(split.heldOut).toEqual([3, 6, 7, 8]);
    expect(split.rest).toEqual([0, 1, 2, 4, 5, 9]);
    expect(split.positives).toBe(2);
    expect(split.usable).toBe(true);
    expect(split.reason).toBeNull();
  });

  test('one week when asked for one; a week boundary is Monday', () => {
    const split = heldOutWeeks(
      setOf(0, ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'], [0, 1, 0, 1, 0]),
      {
        ...options,
        weeks: 1,
      },
    );
    expect(split.weeks).toEqual(['2026-W49']);
    expect(split.heldOut).toEqual([1, 2, 3, 4]);
  });

  test('too few rows, or one outcome missing, is said and not evaluated', () => {
    const few = heldOutWeeks(setOf(10, ['2026-11-30', '2026-12-01'], [1, 0]), options);
    expect(few.usable).toBe(false);
    expect(few.reason).toBe(
      'the most recent 1 labelled week(s) (2026-W49) have 2 labelled rows; at least 4 are needed',
    );
    const oneClass = heldOutWeeks(
      setOf(0, ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'], [0, 0, 0, 0]),
      options,
    );
    expect(oneClass.usable).toBe(false);
    expect(oneClass.reason).toContain('0 diabetic and 4 non-diabetic rows; at least 1 of each');
    const none = heldOutWeeks(setOf(5, [], []), options);
    expect(none).toMatchObject({ weeks: [], heldOut: [], usable: false });
    expect(none.reason).toBe('there are no labelled production rows to hold out');
    expect(() => heldOutWeeks(setOf(1, [], []), { ...options, weeks: 0 })).toThrow(
      'held-out weeks must be an integer >= 1',
    );
  });
});
