/**
 * The stored inputs of a run of prediction rows as one columnar blob (table prediction_inputs, migration 2).
 * Exact: every value decodes to the bit-identical double that was encoded (NaN = missing stays NaN), so
 * `screen --verify` re-scores from stored inputs and must reproduce identical outputs.
 *
 * Layout, little-endian (format 1):
 *   byte 0      format version (1)
 *   byte 1      column count k
 *   bytes 2-3   zero
 *   bytes 4-7   row count n (uint32)
 *   bytes 8..   one encoding byte per column (1 = uint16, 2 = float64), zero-padded to a multiple of 8
 *   then k columns in order, each n values, each zero-padded to a multiple of 8 bytes.
 * A column is uint16 when every value is an integer in 0..65535 (and not -0, which uint16 would turn into +0),
 * else float64: the integer-valued clinical inputs (pregnancies, glucose, ...) take 2 bytes a value, BMI and DPF 8.
 */

const INPUT_BLOB_FORMAT = 1;
export const ENCODING_UINT16 = 1;
export const ENCODING_FLOAT64 = 2;

// Typed arrays use the host's byte order; the format is little-endian (x86-64 and arm64 both are).
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('input-blob: big-endian hosts are not supported');
}

const pad8 = (bytes: number) => (bytes + 7) & ~7;
const headerBytes = (columns: number) => 8 + pad8(columns);

export interface InputBlobLayout {
  rowCount: number;
  encodings: Uint8Array;
  /** Byte offset of each column's first value. */
  offsets: number[];
}

function fitsUint16(column: Float64Array, start: number, count: number): boolean {
  for (let i = start, end = start + count; i < end; i++) {
    const v = column[i];
    // (v & 0xffff) === v only for integers in 0..65535 (NaN, fractions, negatives and >65535 all differ).
    if ((v & 0xffff) !== v || (v === 0 && 1 / v < 0)) return false;
  }
  return true;
}

/** Rows [start, start + count) of the columns as one blob. */
export function encodeInputBlob(columns: readonly Float64Array[], start: number, count: number): Buffer {
  const k = columns.length;
  if (k > 255) throw new RangeError(`input-blob: ${k} columns, at most 255`);
  const encodings = new Uint8Array(k);
  let size = headerBytes(k);
  for (let c = 0; c < k; c++) {
    encodings[c] = fitsUint16(columns[c], start, count) ? ENCODING_UINT16 : ENCODING_FLOAT64;
    size += pad8(count * (encodings[c] === ENCODING_UINT16 ? 2 : 8));
  }
  // Its own zeroed ArrayBuffer: offset 0, so every column view below is aligned, and the padding is zeros.
  const buffer = new ArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  bytes[0] = INPUT_BLOB_FORMAT;
  bytes[1] = k;
  new DataView(buffer).setUint32(4, count, true);
  bytes.set(encodings, 8);
  let offset = headerBytes(k);
  for (let c = 0; c < k; c++) {
    const source = columns[c];
    if (encodings[c] === ENCODING_UINT16) {
      const target = new Uint16Array(buffer, offset, count);
      for (let i = 0; i < count; i++) target[i] = source[start + i];
      offset += pad8(count * 2);
    } else {
      new Float64Array(buffer, offset, count).set(source.subarray(start, start + count));
      offset += pad8(count * 8);
    }
  }
  return Buffer.from(buffer);
}

/** Reads and checks the header; a blob of another format, column count or size is an error, never a guess. */
export function inputBlobLayout(blob: Uint8Array, expectedColumns: number): InputBlobLayout {
  if (blob.length < 8) throw new Error(`input blob of ${blob.length} bytes is shorter than its header`);
  if (blob[0] !== INPUT_BLOB_FORMAT) throw new Error(`input blob format ${blob[0]} is not supported`);
  const k = blob[1];
  if (k !== expectedColumns) throw new Error(`input blob has ${k} columns, expected ${expectedColumns}`);
  const rowCount = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(4, true);
  const encodings = blob.slice(8, 8 + k);
  const offsets: number[] = new Array(k);
  let offset = headerBytes(k);
  for (let c = 0; c < k; c++) {
    offsets[c] = offset;
    if (encodings[c] === ENCODING_UINT16) offset += pad8(rowCount * 2);
    else if (encodings[c] === ENCODING_FLOAT64) offset += pad8(rowCount * 8);
    else throw new Error(`input blob column ${c} has unknown encoding ${encodings[c]}`);
  }
  if (offset !== blob.length) {
    throw new Error(`input blob is ${blob.length} bytes; its header describes ${offset}`);
  }
  return { rowCount, encodings, offsets };
}

/** The whole blob as one Float64Array per column (copies: the result does not alias the blob). */
export function decodeInputBlob(
  blob: Uint8Array,
  expectedColumns: number,
): { rowCount: number; columns: Float64Array[] } {
  const layout = inputBlobLayout(blob, expectedColumns);
  const n = layout.rowCount;
  const columns = layout.offsets.map((offset, c) => {
    const out = new Float64Array(n);
    if (layout.encodings[c] === ENCODING_FLOAT64) {
      // A byte copy: exact whatever the blob's alignment.
      new Uint8Array(out.buffer).set(blob.subarray(offset, offset + n * 8));
    } else {
      const values = new Uint16Array(n);
      new Uint8Array(values.buffer).set(blob.subarray(offset, offset + n * 2));
      for (let i = 0; i < n; i++) out[i] = values[i];
    }
    return out;
  });
  return { rowCount: n, columns };
}

/** One value without decoding the rest (single-row lookups). */
export function readInputValue(blob: Uint8Array, layout: InputBlobLayout, column: number, row: number): number {
  if (row < 0 || row >= layout.rowCount) throw new RangeError(`row ${row} is outside the blob's ${layout.rowCount}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return layout.encodings[column] === ENCODING_UINT16
    ? view.getUint16(layout.offsets[column] + row * 2, true)
    : view.getFloat64(layout.offsets[column] + row * 8, true);
}
