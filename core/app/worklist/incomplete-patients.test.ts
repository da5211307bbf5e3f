import { describe, expect, test } from 'vitest';
import { WorklistQuery } from '../../api/inputs';
import type { Reason } from '../../explain/reason-codes';
import { notMeasuredReason } from './risk-factors';
import { warningText } from './worklist-cache';
import { assumedText, exportRow, WORKLIST_EXPORT_HEADER } from './worklist-export';
import { WorklistIndex } from './worklist-index';

/** Three patients: complete, Glucose not measured, BMI not measured. */
function index(): WorklistIndex {
  return new WorklistIndex({
    ids: ['A', 'B', 'C'],
    scores: Float64Array.from([0.7, 0.196, 0.3]),
    categories: ['High', 'Low', 'Low'],
    recommended: Uint8Array.from([1, 0, 0]),
    borderline: new Uint8Array(3),
    glucose: Float64Array.from([150, Number.NaN, 7.2]),
    bmi: Float64Array.from([31, 28, Number.NaN]),
    age: Float64Array.from([50, 40, 30]),
    warnings: new Map([[2, ['Glucose: 7.2 is implausible']]]),
  });
}

describe('a score that rests on an assumed key measurement says so', () => {
  test('rows missing Glucose or BMI are incomplete and counted', () => {
    const worklist = index();
    expect(worklist.incompleteCount()).toBe(2);
    expect(worklist.row(0).assumed).toEqual([]);
    expect(worklist.row(1).assumed.map((a) => a.feature)).toEqual(['Glucose']);
    expect(worklist.row(2).assumed.map((a) => a.feature)).toEqual(['BMI']);
    expect(worklist.page(WorklistQuery.parse({}), 0, 3).rows.every((r) => Array.isArray(r.warnings))).toBe(true);
    expect(worklist.row(2).warnings).toEqual(['Glucose: 7.2 is implausible']);
  });

  test('the export names the assumed value', () => {
    const row = { ...index().row(1), assumed: [{ feature: 'Glucose' as const, unit: 'mg/dL', value: 117 }] };
    const cells = exportRow(row, null);
    expect(cells[WORKLIST_EXPORT_HEADER.indexOf('incomplete')]).toBe('Glucose not measured, assumed 117 mg/dL');
    expect(assumedText([])).toBeNull();
  });

  test('a warning does not repeat its column', () => {
    expect(warningText('BMI', 'BMI: the value is implausible')).toBe('BMI: the value is implausible');
    expect(warningText('BMI', 'the value is implausible')).toBe('BMI: the value is implausible');
  });

  test('Insulin 0 is a test not done, not a reading that raises the risk', () => {
    const reason: Reason = {
      feature: 'Insulin',
      label: 'Insulin',
      value: 0,
      unit: 'µU/mL',
      contribution: 0.2,
      direction: 'raises',
      text: 'Insulin 0 µU/mL raises the risk',
    };
    const shown = notMeasuredReason(reason);
    expect(shown.text).toMatch(/^Insulin not measured/);
    expect(shown.text).not.toMatch(/0 µU\/mL/);
    expect(shown.value).toBeNull();
    expect(notMeasuredReason({ ...reason, value: 80, text: 'x' }).text).toBe('x');
  });
});
