import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { gaussian, seededRandom } from '../util/seeded-random';

/**
 * Synthetic screening batches drawn around a reference table (the training data): each row starts from a random
 * reference row and every feature is jittered, so no real patient row is copied, while zeros (not measured) keep
 * their share. For benchmarks and tests; `shift` injects drift (e.g. { Glucose: 15 }).
 */
export interface SyntheticOptions {
  rows: number;
  seed?: number;
  idPrefix?: string;
  shift?: Partial<Record<FeatureName, number>>;
}

const JITTER: Record<FeatureName, { sd: number; decimals: number; min: number; max: number }> = {
  Pregnancies: { sd: 0.8, decimals: 0, min: 0, max: 17 },
  Glucose: { sd: 6, decimals: 0, min: 40, max: 199 },
  BloodPressure: { sd: 4, decimals: 0, min: 30, max: 122 },
  SkinThickness: { sd: 3, decimals: 0, min: 7, max: 99 },
  Insulin: { sd: 15, decimals: 0, min: 14, max: 846 },
  BMI: { sd: 1.5, decimals: 1, min: 18.2, max: 67.1 },
  DiabetesPedigreeFunction: { sd: 0.05, decimals: 3, min: 0.078, max: 2.42 },
  Age: { sd: 2, decimals: 0, min: 21, max: 81 },
};

/** Calls `visit` for each synthetic row with its id and its values as they would be written (rounded). */
function generateRows(
  reference: PatientTable,
  options: SyntheticOptions,
  visit: (index: number, id: string, values: Float64Array) => void,
): void {
  const rnd = seededRandom(options.seed ?? 1);
  const width = String(options.rows).length;
  const prefix = options.idPrefix ?? 'P';
  const values = new Float64Array(FEATURE_COLUMNS.length);
  for (let i = 0; i < options.rows; i++) {
    const r = Math.floor(rnd() * reference.rowCount);
    FEATURE_COLUMNS.forEach((name, f) => {
      const base = reference.features[name][r];
      const j = JITTER[name];
      let v: number;
      if (base === 0 && name !== 'Pregnancies') v = 0;
      else {
        v = base + gaussian(rnd) * j.sd + (options.shift?.[name] ?? 0);
        v = Math.min(j.max, Math.max(name === 'Pregnancies' ? 0 : j.min, v));
      }
      values[f] = Number(v.toFixed(j.decimals));
    });
    visit(i, `${prefix}${String(i + 1).padStart(width, '0')}`, values);
  }
}

/** The same rows in memory, columnar (for benchmarks of the in-memory stages). */
export function syntheticTable(reference: PatientTable, options: SyntheticOptions): PatientTable {
  const features = emptyFeatureColumns(options.rows);
  const ids: string[] = new Array(options.rows);
  const lineNumbers = new Uint32Array(options.rows);
  generateRows(reference, options, (i, id, values) => {
    ids[i] = id;
    lineNumbers[i] = i + 2;
    FEATURE_COLUMNS.forEach((name, f) => {
      features[name][i] = values[f];
    });
  });
  return { rowCount: options.rows, ids, lineNumbers, features, outcome: null };
}

/** Writes the rows as a batch CSV (temp file, then rename), block by block so a million rows never sit in memory. */
export function writeSyntheticBatch(path: string, reference: PatientTable, options: SyntheticOptions): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${[ID_COLUMN, ...FEATURE_COLUMNS].join(',')}\n`);
    const block: string[] = [];
    generateRows(reference, options, (_, id, values) => {
      const cells = [id];
      FEATURE_COLUMNS.forEach((name, f) => {
        cells.push(values[f].toFixed(JITTER[name].decimals));
      });
      block.push(cells.join(','));
      if (block.length === 10_000) {
        writeSync(fd, `${block.join('\n')}\n`);
        block.length = 0;
      }
    });
    if (block.length > 0) writeSync(fd, `${block.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
