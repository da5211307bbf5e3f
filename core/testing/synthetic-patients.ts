import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { FEATURE_COLUMNS, type FeatureName, REQUIRED_COLUMNS } from '../schema/columns';
import { COLUMN_RULES } from '../schema/rules';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { gaussian, seededRandom } from './random';

/** Relative jitter per feature: enough that no synthetic row equals a real one, small enough to keep the shape. */
const JITTER: Record<FeatureName, number> = {
  Pregnancies: 0.5,
  Glucose: 0.04,
  BloodPressure: 0.04,
  SkinThickness: 0.05,
  Insulin: 0.08,
  BMI: 0.03,
  DiabetesPedigreeFunction: 0.08,
  Age: 0.5,
};

/** Decimal places as clinics record them: DPF to 3 places, the rest to 1. */
const PRECISION: Record<FeatureName, number> = {
  Pregnancies: 1,
  Glucose: 10,
  BloodPressure: 10,
  SkinThickness: 10,
  Insulin: 10,
  BMI: 10,
  DiabetesPedigreeFunction: 1000,
  Age: 1,
};

/**
 * Synthetic patients drawn around a source distribution (the Pima training rows): a random source row, each
 * feature jittered, zeros kept as zeros (missingness is part of the distribution), the hard rules respected.
 * No generated row is a real patient's.
 */
export function syntheticPatients(source: PatientTable, rowCount: number, seed: number, idPrefix = 'S'): PatientTable {
  const random = seededRandom(seed);
  const features = emptyFeatureColumns(rowCount);
  const ids: string[] = new Array(rowCount);
  const lineNumbers = new Uint32Array(rowCount);
  const width = String(rowCount).length;
  for (let i = 0; i < rowCount; i++) {
    const r = Math.floor(random() * source.rowCount);
    for (const name of FEATURE_COLUMNS) {
      const base = source.features[name][r];
      const rule = COLUMN_RULES[name];
      let value: number;
      if (base === 0) value = 0;
      else if (rule.integer) value = Math.round(base + gaussian(random) * JITTER[name] * 2);
      else value = base * (1 + gaussian(random) * JITTER[name]);
      value = Math.min(Math.max(value, rule.min), rule.integer ? rule.max : Number.POSITIVE_INFINITY);
      if (!rule.integer) value = Math.round(value * PRECISION[name]) / PRECISION[name];
      if (name === 'Age') value = Math.max(21, value);
      features[name][i] = value;
    }
    ids[i] = `${idPrefix}${String(i + 1).padStart(width, '0')}`;
    lineNumbers[i] = i + 2;
  }
  return { rowCount, ids, lineNumbers, features, outcome: null };
}

/** Writes a screening batch CSV (patient_id first) with back-pressure, never the whole file in memory. */
export async function writeBatchCsv(path: string, table: PatientTable): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${REQUIRED_COLUMNS.join(',')}\n`);
  const columns = FEATURE_COLUMNS.map((c) => table.features[c]);
  let buffer = '';
  for (let i = 0; i < table.rowCount; i++) {
    buffer += table.ids[i];
    for (const column of columns) buffer += `,${column[i]}`;
    buffer += '\n';
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
