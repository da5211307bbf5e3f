import { afterEach, describe, expect, test, vi } from 'vitest';
import { formatMeasure, localiseTimes, pluralPatients } from './format';

describe('formatMeasure (worklist and print view measurements)', () => {
  test('keeps a decimal: Glucose 7.2 is not shown as 7', () => {
    expect(formatMeasure(7.2)).toBe('7.2');
    expect(formatMeasure(0.5)).toBe('0.5');
    expect(formatMeasure(148)).toBe('148');
    expect(formatMeasure(null)).toBe('—');
  });
});

describe('pluralPatients', () => {
  test('"1 patient", never "1 patients"', () => {
    expect(pluralPatients(1)).toBe('1 patient');
    expect(pluralPatients(0)).toBe('0 patients');
    expect(pluralPatients(2)).toBe('2 patients');
  });
});

describe('localiseTimes (the duplicate-file message from main)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test('a UTC timestamp in the message reads in local time, the rest of the message unchanged', () => {
    // India is UTC+5:30, so the minutes move too: 20:41 UTC is 02:11 the next day there.
    vi.stubEnv('TZ', 'Asia/Kolkata');
    const message = 'day.csv was already imported on 2026-12-05T20:41:45.123Z (batch 3); nothing was stored.';
    const shown = localiseTimes(message);
    expect(shown).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(shown).toMatch(
      /^day\.csv was already imported on .*\b0?2[:.]11[:.]45\b.* \(batch 3\); nothing was stored\.$/,
    );
    expect(shown).toMatch(/\b0?6\b/);
  });

  test('text without a timestamp, or with a malformed one, is left as it is', () => {
    expect(localiseTimes('batch 2026-12-05 imported')).toBe('batch 2026-12-05 imported');
    expect(localiseTimes('at 2026-13-45T99:99:99Z')).toBe('at 2026-13-45T99:99:99Z');
  });
});
