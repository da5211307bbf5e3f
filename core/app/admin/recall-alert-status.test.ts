import { describe, expect, test } from 'vitest';
import type { WeeklyPerformance } from '../../api/monitoring-types';
import { weekOf } from '../../testing/weekly-fixtures';
import { recallAlertStatus } from './monitoring-handlers';

function week(name: string, recall: number | null, judged = true): WeeklyPerformance {
  return weekOf(name, recall, { modelVersion: 'v1.3.0', positives: 30, judged, status: '' });
}

describe('the monitoring page says why there is or is not a recall alert', () => {
  test('one week under the line of two needed: below, but no alert yet', () => {
    const text = recallAlertStatus([week('2026-W01', 0.9), week('2026-W02', 0.796)], 0.8, 2);
    expect(text).toContain('79.6 %');
    expect(text).toMatch(/1 of the 2 weeks in a row needed: no alert yet/);
  });

  test('two weeks under the line: alert', () => {
    expect(recallAlertStatus([week('2026-W01', 0.7), week('2026-W02', 0.75)], 0.8, 2)).toMatch(
      /2 weeks in a row below/,
    );
  });

  test('no judged week, or recall above the line', () => {
    expect(recallAlertStatus([week('2026-W01', 0.5, false)], 0.8, 2)).toMatch(/No week has enough labels/);
    expect(recallAlertStatus([week('2026-W01', 0.9)], 0.8, 2)).toMatch(/at or above the line/);
  });
});
