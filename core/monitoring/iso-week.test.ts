import { describe, expect, test } from 'vitest';
import { isoWeekMonday, isoWeekOf } from './iso-week';

describe('ISO weeks', () => {
  test('year boundaries follow the Thursday rule', () => {
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01'); // Monday of the week holding 2 Jan 2025 (Thursday)
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53'); // Sunday; 2020 had 53 weeks
    expect(isoWeekOf('2026-11-26')).toBe('2026-W48');
  });

  test('a time-stamped date keeps its written calendar day', () => {
    expect(isoWeekOf('2026-03-01T23:30:00+01:00')).toBe(isoWeekOf('2026-03-01'));
    expect(isoWeekOf('2026-03-02T00:10:00Z')).toBe('2026-W10');
    expect(isoWeekOf('2026-03-01T23:59:59Z')).toBe('2026-W09');
  });

  test('Monday of a week, and round trips over two years of days', () => {
    expect(isoWeekMonday('2025-W01')).toBe('2024-12-30');
    for (let d = Date.UTC(2025, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
      const date = new Date(d).toISOString().slice(0, 10);
      const monday = isoWeekMonday(isoWeekOf(date));
      const diff = (d - Date.parse(`${monday}T00:00:00Z`)) / 86_400_000;
      expect(diff >= 0 && diff < 7).toBe(true);
    }
  });

  test('malformed dates are refused, naming the value', () => {
    expect(() => isoWeekOf('26/11/2026')).toThrow('not an ISO date: "26/11/2026"');
    expect(() => isoWeekOf('2026-02-30')).toThrow('not a calendar date: "2026-02-30"');
  });
});
