import { describe, expect, test } from 'vitest';
import { calibratedProbability, predictMargin } from '../../core/model/tree';
import { FEATURE_COLUMNS, ZERO_IMPUTE_COLUMNS } from '../../core/schema/columns';
import { takeRows } from '../../core/table/patient-table';
import { PIMA_PATH } from '../../core/testing/pima';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { stratifiedSplit } from '../tuner/stratified-split';
import { recallConstrainedThreshold } from '../tuner/threshold';
import { augmentRows, type DistilJob } from './distil';
import { distilAll } from './distil-runner';
import { finalizeModel, tuneTrainingPart } from './fit-procedure';

describe('distillation', () => {
  test('synthetic rows stay inside the source rows ranges, keep missing zeros and are reproducible', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 4);
    const source = takeRows(table, split.train);
    const synthetic = augmentRows(source, 3000, 11);
    expect(synthetic.rowCount).toBe(3000);
    for (const name of FEATURE_COLUMNS) {
      const col = source.features[name];
      const lo = Math.min(...col);
      const hi = Math.max(...col);
      for (const v of synthetic.features[name]) {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
    }
    // A missing zero is only ever copied: synthetic zeros appear about as often as in the source.
    for (const name of ZERO_IMPUTE_COLUMNS) {
      const share = (a: Float64Array) => a.filter((v) => v === 0).length / a.length;
      expect(Math.abs(share(synthetic.features[name]) - share(source.features[name]))).toBeLessThan(0.04);
    }
    const positives = (synthetic.outcome as Uint8Array).reduce((a, b) => a + b, 0) / 3000;
    const sourcePositives = (source.outcome as Uint8Array).reduce((a, b) => a + b, 0) / source.rowCount;
    expect(Math.abs(positives - sourcePositives)).toBeLessThan(0.04);
    expect(JSON.stringify(augmentRows(source, 50, 11).features)).toBe(
      JSON.stringify(augmentRows(source, 50, 11).features),
    );
  });

  test('the student has the requested trees, follows the teacher, and its threshold comes from its out-of-fold margins', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 9);
    const options = { nTrials: 10, seed: 9, numIterations: 20, workers: 0, distilTrees: 40, distilAugmentRows: 3000 };
    const part = await tuneTrainingPart(table, split.train, options);
    const model = await finalizeModel(part, options);
    const teacher = model.teacher;
    if (!teacher) throw new Error('no teacher');
    expect(model.ensemble.trees.length).toBe(40);
    expect(teacher.ensemble.trees.length).toBeGreaterThan(40);
    // Student and teacher raw probabilities agree closely on the real training rows.
    let diff = 0;
    for (let r = 0; r < part.trainMatrix.numRows; r++) {
      const row = part.trainMatrix.columns.map((c) => c[r]);
      const sig = (m: number) => 1 / (1 + Math.exp(-m));
      diff += Math.abs(sig(predictMargin(model.ensemble, row)) - sig(predictMargin(teacher.ensemble, row)));
    }
    expect(diff / part.trainMatrix.numRows).toBeLessThan(0.05);
    // Out-of-fold student margins are not the final student's in-sample margins.
    let same = 0;
    for (let r = 0; r < part.trainMatrix.numRows; r++) {
      const row = part.trainMatrix.columns.map((c) => c[r]);
      if (Math.abs(predictMargin(model.ensemble, row) - model.oof.margins[r]) < 1e-12) same++;
    }
    expect(same).toBe(0);
    for (let i = 0; i < model.oof.margins.length; i += 11) {
      expect(model.oof.probabilities[i]).toBeCloseTo(
        calibratedProbability(model.calibration, model.oof.margins[i]),
        12,
      );
    }
    expect(model.threshold).toBe(recallConstrainedThreshold(model.oof.probabilities, model.oof.labels, 0.85).threshold);
  });

  test('students distilled on worker threads are the very students distilled in this thread', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 5);
    const options = { nTrials: 6, seed: 5, numIterations: 20, workers: 0, distilTrees: 15, distilAugmentRows: 1500 };
    const part = await tuneTrainingPart(table, split.train, options);
    const inThread = await finalizeModel(part, options);
    const onWorkers = await finalizeModel(part, { ...options, workers: 2 });
    expect(JSON.stringify(onWorkers.ensemble)).toBe(JSON.stringify(inThread.ensemble));
    expect(Array.from(onWorkers.oof.margins)).toEqual(Array.from(inThread.oof.margins));
    expect(onWorkers.threshold).toBe(inThread.threshold);
  });

  test('a job that fails on a worker fails the whole distillation with its message', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 5);
    const rows = takeRows(table, split.train);
    const broken = {
      teacher: { featureNames: [], baseScore: 0, trees: [] },
      realTable: { ...rows, outcome: null },
      options: { trees: 5, augmentRows: 10, seed: 1, student: {} },
    } as unknown as DistilJob;
    await expect(distilAll([broken, broken, broken], 2)).rejects.toThrow(/distillation worker failed: .*Outcome/);
    await expect(distilAll([broken], 0)).rejects.toThrow(/Outcome/);
  });
});
