import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RiskCategory } from '../api/outputs';
import { importLabels } from '../labels/label-import';
import { syntheticTable } from '../screening/synthetic-batch';
import type { Store } from '../store/store';
import type { PatientTable } from '../table/patient-table';
import { seededRandom } from '../util/seeded-random';
import { SAMPLE_BATCH_META, SAMPLE_BATCH_SUMMARY } from './sample-batch';

/**
 * Weekly screening batches stored as the app stores them (inputs in prediction_inputs), then their outcomes
 * imported through the real label import: the production data retraining learns from. Rows are synthetic, drawn
 * around the reference table; each outcome comes from a seeded noisy rule on glucose, BMI and age, so a model has
 * something real to learn and the same seed gives the same labels.
 */
export interface LabelledWeeksOptions {
  /** Monday of the first week, YYYY-MM-DD. */
  startMonday: string;
  weeks: number;
  rowsPerWeek: number;
  seed: number;
  /** Folder for the labels CSV. */
  dir: string;
}

export function outcomeByRule(glucose: number, bmi: number, age: number, random: () => number): 0 | 1 {
  const g = glucose > 0 ? glucose : 120;
  const b = bmi > 0 ? bmi : 32;
  const z = -9.5 + 0.045 * g + 0.08 * b + 0.02 * age;
  return random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
}

export async function storeLabelledWeeks(
  store: Store,
  reference: PatientTable,
  options: LabelledWeeksOptions,
): Promise<{ batchIds: number[]; tables: PatientTable[]; outcomes: Uint8Array[]; labelsPath: string }> {
  const random = seededRandom(options.seed);
  const batchIds: number[] = [];
  const tables: PatientTable[] = [];
  const outcomes: Uint8Array[] = [];
  const labelLines = ['patient_id,outcome,diagnosis_date'];
  const start = Date.parse(`${options.startMonday}T00:00:00Z`);
  for (let w = 0; w < options.weeks; w++) {
    // Screened on the week's Wednesday; diagnosed a week later.
    const day = new Date(start + (w * 7 + 2) * 86_400_000).toISOString().slice(0, 10);
    const diagnosed = new Date(start + (w * 7 + 9) * 86_400_000).toISOString().slice(0, 10);
    const table = syntheticTable(reference, { rows: options.rowsPerWeek, seed: options.seed + w, idPrefix: `W${w}-` });
    const n = table.rowCount;
    const writer = store.batches.begin({
      ...SAMPLE_BATCH_META,
      fileName: `batch_week_${w}.csv`,
      fileSha256: String(w).padStart(64, '0'),
      predictionDate: `${day}T09:00:00.000Z`,
    });
    writer.addPredictions({
      table,
      scores: new Float64Array(n).fill(0.5),
      categories: new Array<RiskCategory>(n).fill('Medium'),
      recommendations: new Uint8Array(n).fill(1),
    });
    batchIds.push(writer.commit({ ...SAMPLE_BATCH_SUMMARY, rowsRead: n, rowsRejected: 0, rejectedByRule: {} }).id);
    const outcome = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      outcome[i] = outcomeByRule(table.features.Glucose[i], table.features.BMI[i], table.features.Age[i], random);
      labelLines.push(`${table.ids[i]},${outcome[i]},${diagnosed}`);
    }
    tables.push(table);
    outcomes.push(outcome);
  }
  const labelsPath = join(options.dir, `labels_${options.seed}.csv`);
  writeFileSync(labelsPath, `${labelLines.join('\n')}\n`);
  const report = await importLabels(store, labelsPath, 'tester');
  if (report.status !== 'imported') throw new Error(`labels not imported: ${report.message}`);
  return { batchIds, tables, outcomes, labelsPath };
}
