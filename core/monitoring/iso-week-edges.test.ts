import { describe, expect, test } from 'vitest';
import { isoWeekMonday, isoWeekOf } from './iso-week';

describe('ISO week edges', () => {
  test('months 00 and 13 are not calendar dates, even where the day number would survive the roll-over', () => {
    // Date.UTC rolls 2026-13-05 over to 2027-01-05 and 2026-00-10 back to 2025-12-10: same day, other month.
    expect(() => isoWeekOf('2026-13-05')).toThrow('not a calendar date: "2026-13-05"');
    expect(() => isoWeekOf('2026-00-10')).toThrow('not a calendar date: "2026-00-10"');
    expect(() => isoWeekOf('2026-04-31')).toThrow('not a calendar date: "2026-04-31"');
    expect(isoWeekOf('2024-02-29')).toBe('2024-W09');
  });

  test('the date must start the text', () => {
    expect(() => isoWeekOf('on 2026-03-02')).toThrow('not an ISO date: "on 2026-03-02"');
    expect(() => isoWeekOf('2026-3-02')).toThrow('not an ISO date');
  });

  test('a year whose 1 January is a Thursday has 53 weeks; the next starts on 4 January', () => {
    // 1 January 2026 is a Thursday, so 31 December 2026 (also a Thursday) is in week 53.
    expect(new Date(Date.UTC(2026, 0, 1)).getUTCDay()).toBe(4);
    expect(isoWeekOf('2026-12-31')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekMonday('2026-W53')).toBe('2026-12-28');
  });

  test('a week is written YYYY-Www, nothing around it', () => {
    for (const bad of ['2026-W1', '2026W10', '2026-W10x', 'x2026-W10', '26-W10']) {
      expect(() => isoWeekMonday(bad)).toThrow(`not an ISO week: "${bad}"`);
    }
    expect(isoWeekMonday('2026-W10')).toBe('2026-03-02');
  });
});
