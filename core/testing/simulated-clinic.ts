import type { LabelledPrediction } from '../monitoring/weekly-performance';
import { transformFeatures } from '../preprocess/pipeline';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { mulberry32 } from '../util/seeded-random';
import type { PimaSetup } from './pima-split';

// A stand-in screening model for simulations: logistic regression coefficients of the classic Pima fit
// (roughly what sklearn's LogisticRegression gives on the full file), applied to imputed features.
const COEFFICIENTS = {
  intercept: -8.4,
  Pregnancies: 0.123,
  Glucose: 0.0352,
  BloodPressure: -0.0133,
  SkinThickness: 0.0006,
  Insulin: -0.0012,
  BMI: 0.0897,
  DiabetesPedigreeFunction: 0.945,
  Age: 0.0149,
} as const;

export function scoreTable(pima: PimaSetup, table: PatientTable): Float64Array {
  const m = transformFeatures(pima.params, table);
  const out = new Float64Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    let z: number = COEFFICIENTS.intercept;
    for (const name of FEATURE_COLUMNS) z += COEFFICIENTS[name] * m.columns[name][i];
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}

/** Highest threshold whose recall on the given rows is at least `target` (the operating-point rule). */
export function thresholdForRecall(scores: ArrayLike<number>, outcome: ArrayLike<number>, target: number): number {
  const positives = Array.from(scores)
    .filter((_, i) => outcome[i] === 1)
    .sort((a, b) => b - a);
  return positives[Math.ceil(target * positives.length) - 1];
}

export interface SimulatedWeek {
  week: number;
  date: string;
  batchId: number;
  table: PatientTable;
  scores: Float64Array;
  /** Outcomes as they eventually arrive (possibly degraded). */
  outcome: Uint8Array;
  labelled: LabelledPrediction[];
}

export interface WeekPlan {
  drift?: boolean;
  degradeLabels?: boolean;
  /** Only this many rows get labels (default: all). */
  labelsArriving?: number;
}

/**
 * Weekly batches drawn (with replacement, seeded) from the reference rows. Drift: Glucose + 15, BMI x 1.1 and
 * Age + 10 on measured values (zeros stay "not measured"). Label degradation: a quarter of the rows the model
 * called negative and that were negative turn out positive (new cases the model misses; features unchanged).
 */
export function simulateWeeks(
  pima: PimaSetup,
  plans: readonly WeekPlan[],
  options: { rows: number; threshold: number; startMonday: string; seed: number; modelVersion: string },
): SimulatedWeek[] {
  const next = mulberry32(options.seed);
  const source = pima.referenceTable;
  const start = Date.parse(`${options.startMonday}T00:00:00Z`);
  return plans.map((plan, w) => {
    const n = options.rows;
    const features = emptyFeatureColumns(n);
    const outcome = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const r = next() % source.rowCount;
      for (const name of FEATURE_COLUMNS) features[name][i] = source.features[name][r];
      outcome[i] = source.outcome?.[r] ?? 0;
      if (plan.drift) {
        if (features.Glucose[i] !== 0) features.Glucose[i] += 15;
        if (features.BMI[i] !== 0) features.BMI[i] = Math.round(features.BMI[i] * 1.1 * 10) / 10;
        features.Age[i] += 10;
      }
    }
    const table: PatientTable = {
      rowCount: n,
      ids: Array.from({ length: n }, (_, i) => `W${w + 1}-P${i}`),
      lineNumbers: Uint32Array.from({ length: n }, (_, i) => i + 2),
      features,
      outcome: null,
    };
    const scores = scoreTable(pima, table);
    if (plan.degradeLabels) {
      for (let i = 0; i < n; i++) {
        if (scores[i] < options.threshold && outcome[i] === 0 && next() % 4 === 0) outcome[i] = 1;
      }
    }
    // Batches run on Wednesdays.
    const date = new Date(start + (w * 7 + 2) * 86_400_000).toISOString().slice(0, 10);
    const arriving = Math.min(n, plan.labelsArriving ?? n);
    const labelled: LabelledPrediction[] = [];
    for (let i = 0; i < arriving; i++) {
      labelled.push({
        outcome: outcome[i] as 0 | 1,
        score: scores[i],
        recommendation: scores[i] >= options.threshold ? 1 : 0,
        age: features.Age[i],
        modelVersion: options.modelVersion,
        predictionDate: `${date}T09:00:00Z`,
      });
    }
    return { week: w + 1, date, batchId: 100 + w, table, scores, outcome, labelled };
  });
}
