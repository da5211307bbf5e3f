/**
 * What the compare-* studies share: the options --repeats <n> (5), --trials <n> (100), --workers <n> (2) and
 * --outer-seed <n> (42), the Pima table of the data manifest, and the repeated stratified 5-fold outer CV (the
 * protocol of repeatedCv) with a progress report after every outer fold.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PlattCalibration, TreeEnsemble } from '../../core/model/tree';
import type { PatientTable } from '../../core/table/patient-table';
import { DATA_DIR, readManifest } from '../data-prep/data-manifest';
import { loadTrainingTable } from '../data-prep/load-training-table';
import type { FeatureMatrix } from '../io/binned-dataset';
import { metricsAt, type ThresholdMetrics } from '../pipeline/evaluate';
import { type ProcedureOptions, scoreMatrix } from '../pipeline/fit-procedure';
import { formatMeanSd } from '../pipeline/repeated-cv';
import { complement, stratifiedKFold } from '../tuner/stratified-split';

type StringOptions<K extends string> = Record<K, { type: 'string' }>;

interface OuterCvStudy<K extends string> {
  /** The study's own options (and the shared ones), as given. */
  values: Partial<Record<K | 'repeats' | 'trials' | 'workers' | 'outer-seed', string>>;
  /** Procedure options every variant starts from: --trials, --workers and seed 42. */
  base: Partial<ProcedureOptions>;
  table: PatientTable;
  /**
   * Calls `fold` for each of the repeats x 5 outer folds (training rows, held-out rows) and after it writes
   * "outer fold i/n" and `progress()` to stderr.
   */
  forEachOuterFold(
    fold: (trainRows: number[], heldRows: number[]) => Promise<void>,
    progress: () => string,
  ): Promise<void>;
}

export async function openOuterCvStudy<K extends string>(options: StringOptions<K>): Promise<OuterCvStudy<K>> {
  const { values } = parseArgs({
    options: {
      ...options,
      repeats: { type: 'string' },
      trials: { type: 'string' },
      workers: { type: 'string' },
      'outer-seed': { type: 'string' },
    },
  });
  const study = values as OuterCvStudy<K>['values'];
  const repeats = Number(study.repeats ?? 5);
  const base: Partial<ProcedureOptions> = {
    nTrials: Number(study.trials ?? 100),
    workers: Number(study.workers ?? 2),
    seed: 42,
  };
  const { table } = await loadTrainingTable(join(DATA_DIR, readManifest().file));
  const outcome = table.outcome as Uint8Array;
  return {
    values: study,
    base,
    table,
    async forEachOuterFold(fold, progress) {
      for (let r = 0; r < repeats; r++) {
        // Default outer folds are repeatedCv's; another --outer-seed gives fresh folds to confirm a choice on.
        const outer = stratifiedKFold(outcome, 5, Number(study['outer-seed'] ?? 42) + 1000 * (r + 1));
        for (let f = 0; f < 5; f++) {
          await fold(complement(table.rowCount, outer[f]), outer[f]);
          process.stderr.write(`outer fold ${r * 5 + f + 1}/${repeats * 5}\n${progress()}\n`);
        }
      }
    },
  };
}

/** A model's calibrated probabilities on held-out rows and its metrics there at its own threshold. */
export function scoreHeldOut(
  model: { ensemble: TreeEnsemble; calibration: PlattCalibration; threshold: number },
  held: FeatureMatrix,
): { probs: Float64Array; metrics: ThresholdMetrics } {
  const probs = scoreMatrix(model.ensemble, model.calibration, held);
  return { probs, metrics: metricsAt(probs, held.labels, model.threshold) };
}

/** Threshold metrics per variant over the outer folds, variants in the order first added. */
export class FoldResults {
  readonly byVariant: Record<string, ThresholdMetrics[]> = {};

  add(variant: string, metrics: ThresholdMetrics): void {
    this.byVariant[variant] = [...(this.byVariant[variant] ?? []), metrics];
  }

  /** One line per variant: its name padded to `nameWidth`, `extra(name)`, then n and mean +- sd of AUC, recall, precision and F2. */
  lines(nameWidth: number, extra: (name: string) => string = () => ''): string[] {
    return Object.entries(this.byVariant).map(([name, folds]) => {
      const f = (k: keyof ThresholdMetrics) => formatMeanSd(folds.map((m) => m[k] as number));
      return `${name.padEnd(nameWidth)} ${extra(name)}n=${folds.length}  AUC ${f('auc')}  recall ${f('recall')}  precision ${f('precision')}  F2 ${f('f2')}`;
    });
  }
}
