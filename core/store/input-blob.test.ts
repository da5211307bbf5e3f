import { describe, expect, test } from 'vitest';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { pimaPath } from '../testing/pima';
import {
  decodeInputBlob,
  ENCODING_FLOAT64,
  ENCODING_UINT16,
  encodeInputBlob,
  inputBlobLayout,
  readInputValue,
} from './input-blob';

/** Bit patterns, so that NaN, -0 and +0 are told apart (toEqual would not). */
const bits = (values: Float64Array) => Array.from(new BigUint64Array(values.slice().buffer));

function roundTrip(columns: Float64Array[], start = 0, count = columns[0].length) {
  const blob = encodeInputBlob(columns, start, count);
  const decoded = decodeInputBlob(blob, columns.length);
  expect(decoded.rowCount).toBe(count);
  decoded.columns.forEach((column, c) => {
    expect(bits(column)).toEqual(bits(columns[c].subarray(start, start + count)));
  });
  return { blob, layout: inputBlobLayout(blob, columns.length) };
}

describe('input blob', () => {
  test('the Pima rows round-trip exactly; integer columns take uint16, BMI and DPF float64', async () => {
    const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
    if (!pima.ok) throw new Error('cannot read the Pima file');
    const columns = FEATURE_COLUMNS.map((f) => pima.table.features[f]);
    const { blob, layout } = roundTrip(columns);
    expect(Object.fromEntries(FEATURE_COLUMNS.map((f, c) => [f, layout.encodings[c]]))).toEqual({
      Pregnancies: ENCODING_UINT16,
      Glucose: ENCODING_UINT16,
      BloodPressure: ENCODING_UINT16,
      SkinThickness: ENCODING_UINT16,
      Insulin: ENCODING_UINT16,
      BMI: ENCODING_FLOAT64,
      DiabetesPedigreeFunction: ENCODING_FLOAT64,
      Age: ENCODING_UINT16,
    });
    // 16-byte header, six uint16 columns and two float64 columns of 768 rows.
    expect(blob.length).toBe(16 + 6 * 768 * 2 + 2 * 768 * 8);
    // A slice from the middle (odd start, odd length) round-trips too.
    roundTrip(columns, 101, 333);
    for (const row of [0, 7, 767]) {
      FEATURE_COLUMNS.forEach((f, c) => {
        expect(readInputValue(blob, layout, c, row)).toBe(pima.table.features[f][row]);
      });
    }
  });

  test('edge values: each column takes uint16 only when all its values are integers in 0..65535', () => {
    const cases: [number[], number][] = [
      [[0, 65535], ENCODING_UINT16],
      [[1, 42], ENCODING_UINT16],
      [[0, 65536], ENCODING_FLOAT64],
      [[0, 0.1], ENCODING_FLOAT64],
      [[1, Number.NaN], ENCODING_FLOAT64],
      [[1e-300, 2], ENCODING_FLOAT64],
      [[1e300, Number.MAX_VALUE], ENCODING_FLOAT64],
      [[Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], ENCODING_FLOAT64],
      [[-1, 3], ENCODING_FLOAT64],
      [[-0, 3], ENCODING_FLOAT64],
      [[2 ** 32, 2 ** 32 + 5], ENCODING_FLOAT64],
      [[Number.MIN_VALUE, 5e-324], ENCODING_FLOAT64],
    ];
    const columns = cases.map(([values]) => Float64Array.from(values));
    const { layout, blob } = roundTrip(columns);
    expect(Array.from(layout.encodings)).toEqual(cases.map(([, encoding]) => encoding));
    expect(Object.is(readInputValue(blob, layout, 9, 0), -0)).toBe(true);
    expect(readInputValue(blob, layout, 4, 1)).toBeNaN();
  });

  test('a NaN with a payload other than the canonical one keeps its bits', () => {
    const column = new Float64Array(3);
    new BigUint64Array(column.buffer).set([0x7ff8000000000001n, 0xfff0000000000123n, 0n]);
    roundTrip([column]);
  });

  test('zero rows and one row round-trip', () => {
    const columns = [Float64Array.from([7]), Float64Array.from([0.5])];
    roundTrip(columns, 0, 0);
    roundTrip(columns, 0, 1);
  });

  test('a blob at an odd byte offset decodes (SQLite hands back buffers of any alignment)', () => {
    const columns = [Float64Array.from([1.5, Number.NaN, 3]), Float64Array.from([1, 2, 3])];
    const blob = encodeInputBlob(columns, 0, 3);
    const shifted = new Uint8Array(blob.length + 1).subarray(1);
    shifted.set(blob);
    const decoded = decodeInputBlob(shifted, 2);
    expect(bits(decoded.columns[0])).toEqual(bits(columns[0]));
    expect(Array.from(decoded.columns[1])).toEqual([1, 2, 3]);
    expect(readInputValue(shifted, inputBlobLayout(shifted, 2), 0, 2)).toBe(3);
  });

  test('a truncated, foreign or mismatched blob is an error that says what is wrong', () => {
    const blob = encodeInputBlob([Float64Array.from([1, 2]), Float64Array.from([0.5, 0.25])], 0, 2);
    expect(() => decodeInputBlob(blob.subarray(0, blob.length - 8), 2)).toThrow(
      /input blob is 32 bytes; its header describes 40/,
    );
    expect(() => decodeInputBlob(blob, 8)).toThrow(/has 2 columns, expected 8/);
    const foreign = Uint8Array.from(blob);
    foreign[0] = 9;
    expect(() => decodeInputBlob(foreign, 2)).toThrow(/format 9 is not supported/);
    const badEncoding = Uint8Array.from(blob);
    badEncoding[9] = 7;
    expect(() => decodeInputBlob(badEncoding, 2)).toThrow(/column 1 has unknown encoding 7/);
    expect(() => readInputValue(blob, inputBlobLayout(blob, 2), 0, 2)).toThrow(/row 2 is outside/);
  });
});
