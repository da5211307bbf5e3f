import type { PatientTable } from '../../core/table/patient-table';
import { takeRows } from '../../core/table/patient-table';
import { complement, stratifiedKFold } from '../tuner/stratified-split';
import { metricsAt, type ThresholdMetrics } from './evaluate';
import { fitProcedure, matrixOf, type ProcedureOptions, scoreMatrix } from './fit-procedure';

export interface Summary {
  mean: number;
  sd: number;
}

export interface RepeatedCvResult {
  repeats: number;
  folds: number;
  perFold: (ThresholdMetrics & { repeat: number; fold: number })[];
  summary: Record<'auc' | 'recall' | 'precision' | 'f2' | 'prAuc' | 'brier' | 'accuracy' | 'threshold', Summary>;
  /** With distillation: the teacher ensemble of the same outer folds, scored with its own calibration and threshold. */
  teacher?: { numTrees: number; perFold: ThresholdMetrics[]; summary: RepeatedCvResult['summary'] };
}

/** Mean and sample standard deviation (n - 1), as the repeated CV reports them. */
function meanSd(values: number[]): Summary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

/** "mean +- sd" of per-fold values, for the comparison scripts' tables. */
export function formatMeanSd(values: number[], meanDigits = 3): string {
  const { mean, sd } = meanSd(values);
  return `${mean.toFixed(meanDigits)} +- ${sd.toFixed(3)}`;
}

/**
 * Repeated stratified k-fold CV of the whole procedure (preprocessing, tuning, calibration, threshold and
 * final fit all redone on each outer training part), scored on each outer held-out fold.
 */
export async function repeatedCv(
  table: PatientTable,
  repeats: number,
  folds: number,
  options: Partial<ProcedureOptions>,
  onFold?: (done: number, total: number, metrics: ThresholdMetrics) => void,
  /** Seed of the outer folds (default: the procedure's seed). */
  outerSeed?: number,
): Promise<RepeatedCvResult> {
  if (!table.outcome) throw new Error('repeated CV needs Outcome');
  const perFold: RepeatedCvResult['perFold'] = [];
  const teacherFolds: ThresholdMetrics[] = [];
  let teacherTrees = 0;
  const seed = outerSeed ?? options.seed ?? 42;
  for (let r = 0; r < repeats; r++) {
    const outer = stratifiedKFold(table.outcome, folds, seed + 1000 * (r + 1));
    for (let f = 0; f < folds; f++) {
      const trainRows = complement(table.rowCount, outer[f]);
      const model = await fitProcedure(table, trainRows, { ...options, onTrial: undefined });
      const heldMatrix = matrixOf(model.preprocess, takeRows(table, outer[f]));
      const probs = scoreMatrix(model.ensemble, model.calibration, heldMatrix);
      const metrics = metricsAt(probs, heldMatrix.labels, model.threshold);
      perFold.push({ ...metrics, repeat: r, fold: f });
      if (model.teacher) {
        const t = model.teacher;
        teacherFolds.push(
          metricsAt(scoreMatrix(t.ensemble, t.calibration, heldMatrix), heldMatrix.labels, t.threshold),
        );
        teacherTrees = t.ensemble.trees.length;
      }
      onFold?.(perFold.length, repeats * folds, metrics);
    }
  }
  const keys = ['auc', 'recall', 'precision', 'f2', 'prAuc', 'brier', 'accuracy', 'threshold'] as const;
  const summarise = (rows: ThresholdMetrics[]) => {
    const summary = {} as RepeatedCvResult['summary'];
    for (const k of keys) summary[k] = meanSd(rows.map((m) => m[k]));
    return summary;
  };
  const teacher =
    teacherFolds.length > 0
      ? { numTrees: teacherTrees, perFold: teacherFolds, summary: summarise(teacherFolds) }
      : undefined;
  return { repeats, folds, perFold, summary: summarise(perFold), teacher };
}
