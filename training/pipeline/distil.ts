import { predictMargins } from '../../core/model/batch-margins';
import type { TreeEnsemble } from '../../core/model/tree';
import { type PreprocessParams, transformFeatures } from '../../core/preprocess/pipeline';
import { FEATURE_COLUMNS, ZERO_IMPUTE_COLUMNS } from '../../core/schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../../core/table/patient-table';
import { Random } from '../../core/util/seeded-random';
import { trainGbdt } from '../boosting/gbdt';
import type { TrainConfig } from '../config';
import { toFeatureMatrix } from '../data-prep/feature-matrix';
import { type BinnedDataset, binMatrix, type FeatureMatrix } from '../io/binned-dataset';

/** How the compact student is grown from the teacher. */
interface DistilOptions {
  /** Trees of the student. */
  trees: number;
  /** Synthetic rows added to the real training rows, generated from those rows only. */
  augmentRows: number;
  seed: number;
  /** Student tree shape and regularisation (learning rate, leaves, ...); scalePosWeight is always 1. */
  student: Partial<TrainConfig>;
}

export const DEFAULT_STUDENT_CONFIG: Readonly<Partial<TrainConfig>> = Object.freeze({
  learningRate: 0.1,
  numLeaves: 16,
  maxDepth: -1,
  minDataInLeaf: 20,
  lambdaL2: 1,
  baggingFraction: 0.8,
  baggingFreq: 1,
  featureFraction: 1,
});

const ZERO_IMPUTE = new Set<string>(ZERO_IMPUTE_COLUMNS);

/**
 * Synthetic patients in raw feature space (so the engineered features stay consistent after preprocessing),
 * MUNGE-like: each row starts from a random real row, takes every feature with probability 1/2 from another
 * random row of the same class, then gets Gaussian noise of 10% of the feature's sd, clipped to the observed
 * range. A zero in a zero-means-missing column stays zero (it is a missing value, not a measurement).
 */
export function augmentRows(table: PatientTable, count: number, seed: number): PatientTable {
  if (!table.outcome) throw new Error('augmentRows: the table needs Outcome');
  const outcome = table.outcome;
  const byClass: number[][] = [[], []];
  for (let r = 0; r < table.rowCount; r++) byClass[outcome[r]].push(r);
  const rnd = new Random(seed);
  const gauss = () => {
    const u = Math.max(rnd.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.next());
  };
  const stats = FEATURE_COLUMNS.map((name) => {
    const col = table.features[name];
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < col.length; r++) {
      min = Math.min(min, col[r]);
      max = Math.max(max, col[r]);
      sum += col[r];
      sq += col[r] * col[r];
    }
    const mean = sum / col.length;
    return { min, max, sd: Math.sqrt(Math.max(0, sq / col.length - mean * mean)) };
  });
  const features = emptyFeatureColumns(count);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const source = Math.floor(rnd.next() * table.rowCount);
    const cls = outcome[source];
    const peers = byClass[cls];
    const partner = peers[Math.floor(rnd.next() * peers.length)];
    labels[i] = cls;
    FEATURE_COLUMNS.forEach((name, f) => {
      const v = table.features[name][rnd.next() < 0.5 ? partner : source];
      if (v === 0 && ZERO_IMPUTE.has(name)) {
        features[name][i] = 0;
        return;
      }
      const jittered = v + 0.1 * stats[f].sd * gauss();
      features[name][i] = Math.min(stats[f].max, Math.max(stats[f].min, jittered));
    });
  }
  return {
    rowCount: count,
    ids: Array.from({ length: count }, (_, i) => `synthetic-${i}`),
    lineNumbers: new Uint32Array(count),
    features,
    outcome: labels,
  };
}

function concatBinned(a: BinnedDataset, b: BinnedDataset): BinnedDataset {
  const n = a.numRows + b.numRows;
  const bins = a.bins.map((column, f) => {
    const out = new Uint8Array(n);
    out.set(column, 0);
    out.set(b.bins[f], a.numRows);
    return out;
  });
  const labels = new Uint8Array(n);
  labels.set(a.labels, 0);
  labels.set(b.labels, a.numRows);
  return { numRows: n, featureNames: a.featureNames, mappers: a.mappers, bins, labels };
}

/** Teacher probabilities sigmoid(margin) of matrix rows (the raw, uncalibrated output the teacher was trained to). */
function teacherTargets(teacher: TreeEnsemble, matrix: FeatureMatrix): Float64Array {
  return predictMargins(teacher, matrix.columns, matrix.numRows).map((margin) => 1 / (1 + Math.exp(-margin)));
}

/**
 * A student GBDT trained on the teacher's probabilities over some real training rows plus synthetic rows made
 * from exactly those rows. `realTable` / `realMatrix` / `realBinned` are the same rows (raw, model space,
 * binned with the training part's mappers); nothing else is looked at.
 */
export function distilStudent(
  teacher: TreeEnsemble,
  realTable: PatientTable,
  realMatrix: FeatureMatrix,
  realBinned: BinnedDataset,
  preprocess: PreprocessParams,
  options: DistilOptions,
): TreeEnsemble {
  const synthetic = augmentRows(realTable, options.augmentRows, options.seed);
  const syntheticMatrix = toFeatureMatrix(
    transformFeatures(preprocess, synthetic),
    synthetic.outcome ?? new Uint8Array(0),
  );
  const data = concatBinned(realBinned, binMatrix(syntheticMatrix, realBinned.mappers));
  const targets = new Float64Array(data.numRows);
  targets.set(teacherTargets(teacher, realMatrix), 0);
  targets.set(teacherTargets(teacher, syntheticMatrix), realMatrix.numRows);
  const config: Partial<TrainConfig> = {
    ...DEFAULT_STUDENT_CONFIG,
    ...options.student,
    numIterations: options.trees,
    scalePosWeight: 1,
    earlyStoppingRounds: 0,
    seed: options.seed,
  };
  return trainGbdt(data, config, { targets, recordTrainLoss: false }).ensemble;
}

/** One student's inputs, as distilStudent takes them: plain data, so that a worker thread can run it. */
export interface DistilJob {
  teacher: TreeEnsemble;
  realTable: PatientTable;
  realMatrix: FeatureMatrix;
  realBinned: BinnedDataset;
  preprocess: PreprocessParams;
  options: DistilOptions;
}

export function runDistilJob(job: DistilJob): TreeEnsemble {
  return distilStudent(job.teacher, job.realTable, job.realMatrix, job.realBinned, job.preprocess, job.options);
}
