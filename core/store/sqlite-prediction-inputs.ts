import { FEATURE_COLUMNS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import type { SqliteDatabase } from './database';
import { decodeInputBlob, encodeInputBlob, type InputBlobLayout, inputBlobLayout, readInputValue } from './input-blob';
import type { Row } from './row-values';
import { StoreError } from './store-error';

/**
 * The validated inputs of every stored prediction. `predictions` holds one lean row per patient; the inputs are in
 * `prediction_inputs`, one columnar blob (input-blob.ts, columns in FEATURE_COLUMNS order) per run of at most
 * INPUT_BLOB_ROWS rows, found by (batch, first_row <= row).
 */
export interface PredictionInputs {
  /** Stores rows [0, table.rowCount) of `table` as rows firstRow.. of the batch. */
  write(batchId: number, firstRow: number, table: PatientTable): void;
  /** Row lookups for one read call: rows of one page or label list mostly share a few blobs. */
  reader(): InputReader;
  /** The blob holding the row, decoded whole. */
  decodedAt(batchId: number, rowIndex: number): DecodedInputs;
}

interface InputReader {
  inputsOf(batchId: number, rowIndex: number): Record<string, number | null>;
  /** One input (FEATURE_COLUMNS index); null when missing. */
  valueOf(batchId: number, rowIndex: number, column: number): number | null;
}

export interface DecodedInputs {
  firstRow: number;
  rowCount: number;
  columns: Float64Array[];
}

/** Bounds the blob a single-row lookup reads (at most 512 KiB); a typical chunk of scored rows is one blob. */
export const INPUT_BLOB_ROWS = 8192;
const INPUT_COLUMNS = FEATURE_COLUMNS.length;

interface InputChunk {
  batchId: number;
  firstRow: number;
  rowCount: number;
  blob: Buffer;
  layout: InputBlobLayout;
}

export function createSqlitePredictionInputs(db: SqliteDatabase): PredictionInputs {
  const insertInputs = db.prepare(
    'INSERT INTO prediction_inputs (batch_id, first_row, row_count, inputs) VALUES (?, ?, ?, ?)',
  );
  const findInputs = db.prepare(
    'SELECT first_row, row_count, inputs FROM prediction_inputs WHERE batch_id = ? AND first_row <= ? ORDER BY first_row DESC LIMIT 1',
  );
  const loadInputChunk = (batchId: number, rowIndex: number): InputChunk => {
    const r = findInputs.get(batchId, rowIndex) as Row | undefined;
    if (!r || rowIndex >= (r.first_row as number) + (r.row_count as number)) {
      throw new StoreError('invalid', `the stored inputs of batch ${batchId} row ${rowIndex} are missing`);
    }
    const blob = r.inputs as Buffer;
    const layout = inputBlobLayout(blob, INPUT_COLUMNS);
    if (layout.rowCount !== r.row_count) {
      throw new StoreError('invalid', `the inputs blob of batch ${batchId} at row ${r.first_row} has the wrong size`);
    }
    return { batchId, firstRow: r.first_row as number, rowCount: layout.rowCount, blob, layout };
  };
  const valueAt = (chunk: InputChunk, rowIndex: number, column: number): number | null => {
    const v = readInputValue(chunk.blob, chunk.layout, column, rowIndex - chunk.firstRow);
    return Number.isNaN(v) ? null : v;
  };

  return {
    write(batchId, firstRow, table) {
      const n = table.rowCount;
      const columns = FEATURE_COLUMNS.map((f) => table.features[f]);
      for (let s = 0; s < n; s += INPUT_BLOB_ROWS) {
        const count = Math.min(INPUT_BLOB_ROWS, n - s);
        insertInputs.run(batchId, firstRow + s, count, encodeInputBlob(columns, s, count));
      }
    },
    reader() {
      const cache: InputChunk[] = [];
      const read = (batchId: number, rowIndex: number): InputChunk => {
        for (const c of cache) {
          if (c.batchId === batchId && rowIndex >= c.firstRow && rowIndex < c.firstRow + c.rowCount) return c;
        }
        const chunk = loadInputChunk(batchId, rowIndex);
        if (cache.length >= 16) cache.shift();
        cache.push(chunk);
        return chunk;
      };
      return {
        inputsOf(batchId, rowIndex) {
          const chunk = read(batchId, rowIndex);
          const inputs: Record<string, number | null> = {};
          FEATURE_COLUMNS.forEach((f, c) => {
            inputs[f] = valueAt(chunk, rowIndex, c);
          });
          return inputs;
        },
        valueOf(batchId, rowIndex, column) {
          return valueAt(read(batchId, rowIndex), rowIndex, column);
        },
      };
    },
    decodedAt(batchId, rowIndex) {
      const chunk = loadInputChunk(batchId, rowIndex);
      return { firstRow: chunk.firstRow, ...decodeInputBlob(chunk.blob, INPUT_COLUMNS) };
    },
  };
}
