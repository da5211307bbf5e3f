import { describe, expect, test } from 'vitest';
import { exportButtonLabel, exportProgressView } from './export-progress';

describe('exportButtonLabel', () => {
  test('says what it will export, and only "Exporting…" while an export runs', () => {
    expect(exportButtonLabel(500, 500, false)).toBe('Export CSV (all 500 patients)');
    expect(exportButtonLabel(1, 1, false)).toBe('Export CSV (all 1 patient)');
    expect(exportButtonLabel(97, 500, false)).toBe('Export CSV (97 filtered of 500)');
    expect(exportButtonLabel(null, 500, false)).toBe('Export CSV (all 500 patients)');
    expect(exportButtonLabel(97, 500, true)).toBe('Exporting…');
  });
});

describe('exportProgressView', () => {
  test('rows while main writes the file, then megabytes while this window reads it', () => {
    expect(exportProgressView({ stage: 'writing', done: 4096, total: 100_000 })).toEqual({
      label: 'Preparing 4096 of 100000 rows',
      percent: 4,
    });
    expect(exportProgressView({ stage: 'reading', done: 3 * 1024 * 1024, total: 12 * 1024 * 1024 })).toEqual({
      label: 'Saving 3.0 of 12.0 MB',
      percent: 25,
    });
  });

  test('the bar starts empty before the total is known and never runs past full', () => {
    expect(exportProgressView({ stage: 'writing', done: 0, total: 0 })).toEqual({
      label: 'Preparing the export…',
      percent: 0,
    });
    expect(exportProgressView({ stage: 'reading', done: 13, total: 12 }).percent).toBe(100);
  });
});
