import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ingestCsvFile } from '../ingest/csv-ingest';
import {
  AGE_GROUP_EDGES,
  BMI_CATEGORY_EDGES,
  FEATURE_COLUMNS,
  type FeatureName,
  MODEL_FEATURES,
  type ModelFeatureName,
  ZERO_IMPUTE_COLUMNS,
} from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { median } from '../util/median';

/**
 * The Pima file for tests and benchmarks: GLUCOSCREEN_PIMA when set, else the pulled copy in training/data, else the
 * local data remote beside the repository (../shared/data), wherever the checkout lives.
 */
export function pimaPath(): string {
  if (process.env.GLUCOSCREEN_PIMA) return process.env.GLUCOSCREEN_PIMA;
  const candidates = [
    resolve(import.meta.dirname, '../../training/data/diabetes.csv'),
    resolve(import.meta.dirname, '../../../shared/data/diabetes.csv'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the Pima data file is not available; looked in ${candidates.join(', ')}`);
  return found;
}

export const PIMA_PATH = pimaPath();

/** The Pima file through the product's own ingest (training mode, so Outcome is kept), as the app would read it. */
export async function loadPimaTable(): Promise<PatientTable> {
  const result = await ingestCsvFile(PIMA_PATH, { mode: 'training' });
  if (!result.ok) throw new Error(`cannot read ${PIMA_PATH}: ${result.report.fileError?.message ?? 'rows rejected'}`);
  return result.table;
}

/*
 * The Pima file as columns read without core/ingest or core/preprocess, for tests that check those modules' outputs
 * (or metrics and explanations) against values that must not depend on them: the 8 raw inputs as in the file, and an
 * 11-column model matrix in MODEL_FEATURES order with zeros in ZERO_IMPUTE_COLUMNS replaced by the column's median of
 * the non-zero values and the engineered features derived independently (bins right-inclusive, Glucose x BMI).
 */
export interface PimaColumns {
  rowCount: number;
  raw: Record<FeatureName, Float64Array>;
  model: Record<ModelFeatureName, Float64Array>;
  outcome: Uint8Array;
}

function binIndex(x: number, edges: readonly number[]): number {
  let k = 0;
  while (k < edges.length && x > edges[k]) k++;
  return k;
}

export function loadPimaColumns(path = PIMA_PATH): PimaColumns {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const rowCount = lines.length - 1;
  const raw = {} as Record<FeatureName, Float64Array>;
  for (const name of FEATURE_COLUMNS) raw[name] = new Float64Array(rowCount);
  const outcome = new Uint8Array(rowCount);
  const index = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column ${name}`);
    return i;
  };
  const featureAt = FEATURE_COLUMNS.map(index);
  const outcomeAt = index('Outcome');
  for (let r = 0; r < rowCount; r++) {
    const cells = lines[r + 1].split(',');
    FEATURE_COLUMNS.forEach((name, j) => {
      raw[name][r] = Number(cells[featureAt[j]]);
    });
    outcome[r] = Number(cells[outcomeAt]);
  }
  const model = {} as Record<ModelFeatureName, Float64Array>;
  for (const name of FEATURE_COLUMNS) model[name] = Float64Array.from(raw[name]);
  for (const name of ZERO_IMPUTE_COLUMNS) {
    const column = model[name];
    const fill = median(Array.from(column).filter((x) => x !== 0));
    for (let r = 0; r < rowCount; r++) if (column[r] === 0) column[r] = fill;
  }
  model.BMI_Category = model.BMI.map((x) => binIndex(x, BMI_CATEGORY_EDGES));
  model.Age_Group = model.Age.map((x) => binIndex(x, AGE_GROUP_EDGES));
  model.Glucose_BMI_Interaction = model.Glucose.map((g, r) => g * model.BMI[r]);
  for (const name of MODEL_FEATURES) if (!model[name]) throw new Error(`missing ${name}`);
  return { rowCount, raw, model, outcome };
}
