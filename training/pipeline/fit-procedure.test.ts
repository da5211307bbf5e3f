import { describe, expect, test } from 'vitest';
import { calibratedProbability, predictMargin } from '../../core/model/tree';
import { openStore } from '../../core/store/sqlite-store';
import { PIMA_PATH } from '../../core/testing/pima';
import { loadPimaMatrix } from '../../core/testing/training-matrix';
import { trainGbdt } from '../boosting/gbdt';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { binMatrix, fitBinMappers } from '../io/binned-dataset';
import { REGULARISATION_PARAMS, SEARCH_SPACE } from '../tuner/search-space';
import { stratifiedSplit } from '../tuner/stratified-split';
import { recallConstrainedThreshold } from '../tuner/threshold';
import { warmStartProposals } from '../tuner/warm-start';
import { storeRecorder } from './experiment-recorder';
import { averageEnsembles, finalizeModel, fitProcedure, selectTrials, tuneTrainingPart } from './fit-procedure';

describe('training procedure', () => {
  test('an averaged ensemble scores the mean of its members margins', async () => {
    const m = await loadPimaMatrix();
    const data = binMatrix(m, fitBinMappers(m, 255, 3));
    const members = [1, 2, 3].map(
      (seed) => trainGbdt(data, { numIterations: 15, featureFraction: 0.6, seed }).ensemble,
    );
    const mean = averageEnsembles(members);
    expect(mean.trees.length).toBe(45);
    for (let r = 0; r < m.numRows; r += 17) {
      const row = m.columns.map((c) => c[r]);
      const expected = members.reduce((s, e) => s + predictMargin(e, row), 0) / 3;
      expect(predictMargin(mean, row)).toBeCloseTo(expected, 12);
    }
  });

  test('worker threads and a single thread give the identical model, trials and threshold', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const outcome = table.outcome as Uint8Array;
    const split = stratifiedSplit(outcome, [0.6, 0.2, 0.2], 7);
    const options = { nTrials: 12, seed: 7, numIterations: 40 };
    const threaded = await fitProcedure(table, split.train, { ...options, workers: 2 });
    const single = await fitProcedure(table, split.train, { ...options, workers: 0 });
    expect(JSON.stringify(threaded.tuning.trials)).toBe(JSON.stringify(single.tuning.trials));
    expect(JSON.stringify(threaded.ensemble)).toBe(JSON.stringify(single.ensemble));
    expect(threaded.threshold).toBe(single.threshold);
    expect(threaded.calibration).toEqual(single.calibration);
  });

  test('the threshold comes from out-of-fold predictions and keeps recall >= 0.85 there', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 3);
    const model = await fitProcedure(table, split.train, { nTrials: 12, seed: 3, numIterations: 40, workers: 0 });
    expect(model.oof.labels.length).toBe(split.train.length);
    const again = recallConstrainedThreshold(model.oof.probabilities, model.oof.labels, 0.85);
    expect(model.threshold).toBe(again.threshold);
    expect(again.recall).toBeGreaterThanOrEqual(0.85);
    // Calibration shrinks class-weighted scores: the mean calibrated OOF probability is near the base rate.
    const mean = model.oof.probabilities.reduce((a, b) => a + b, 0) / model.oof.probabilities.length;
    const rate = model.oof.labels.reduce((a, b) => a + b, 0) / model.oof.labels.length;
    expect(Math.abs(mean - rate)).toBeLessThan(0.03);
  });

  test('every trial is recorded in the experiment store with its state and metrics', async () => {
    const { table, sha256 } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 5);
    const store = openStore(':memory:', { auditTrailPath: null });
    try {
      const recorder = storeRecorder(store.experiments);
      const runId = recorder.startRun({
        name: 'test',
        kind: 'train',
        params: { nTrials: 6 },
        tags: { t: '1' },
        dataSha256: sha256,
      });
      await fitProcedure(table, split.train, {
        nTrials: 6,
        seed: 5,
        numIterations: 20,
        workers: 0,
        onTrial: (trial) => recorder.trial(runId, { ...trial, metrics: trial.metrics }),
      });
      recorder.finish(runId, { status: 'finished', artifactPaths: ['x'], metrics: { ok: 1 } });
      const trials = store.experiments.listTrials(runId as number);
      expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(trials.every((t) => ['complete', 'infeasible'].includes(t.state))).toBe(true);
      expect(store.experiments.listRuns()[0].status).toBe('finished');
    } finally {
      store.close();
    }
  });

  test('a top-k ensemble averages the k best feasible trials: fold models, out-of-fold margins, threshold', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 9);
    const options = { nTrials: 14, seed: 9, numIterations: 20, workers: 0, distilTrees: 0 };
    const part = await tuneTrainingPart(table, split.train, options);
    const chosen = selectTrials(part.tuning, 3);
    const feasible = part.tuning.trials.filter((t) => t.state === 'complete');
    expect(chosen.length).toBe(Math.min(3, feasible.length));
    expect(chosen[0]).toBe(part.tuning.best.number);
    const values = chosen.map((n) => part.tuning.trials[n].value ?? 0);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const t of feasible)
      if (!chosen.includes(t.number)) expect(t.value ?? 0).toBeLessThanOrEqual(values.at(-1) ?? 0);

    const model = await finalizeModel(part, { ...options, ensembleTopK: 3 });
    expect(model.ensembleTrials).toEqual(chosen);
    expect(model.ensemble.trees.length).toBeLessThanOrEqual(chosen.length * 5 * 20);
    expect(model.ensemble.trees.length).toBeGreaterThan((chosen.length - 1) * 5 * 20);
    for (let i = 0; i < model.oof.margins.length; i += 13) {
      const mean = chosen.reduce((s, n) => s + (part.tuning.trialOofMargins[n] as Float64Array)[i], 0) / chosen.length;
      expect(model.oof.margins[i]).toBeCloseTo(mean, 12);
      expect(model.oof.probabilities[i]).toBeCloseTo(
        calibratedProbability(model.calibration, model.oof.margins[i]),
        12,
      );
    }
    const again = recallConstrainedThreshold(model.oof.probabilities, model.oof.labels, 0.85);
    expect(model.threshold).toBe(again.threshold);
    // k = 1 is the single best trial's fold ensemble (v1.0.0's final model).
    const single = await finalizeModel(part, { ...options, ensembleTopK: 1 });
    expect(Array.from(single.oof.margins)).toEqual(Array.from(part.tuning.bestOofMargins));
  });

  test('the final ensemble reuses the tuning fold models, identical to training them again', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 11);
    const options = { nTrials: 10, seed: 11, numIterations: 20, workers: 2, distilTrees: 0, ensembleTopK: 3 };
    const part = await tuneTrainingPart(table, split.train, options);
    const chosen = selectTrials(part.tuning, 3);
    // Only the trials the ensemble can be made of are kept (the top k, and the best).
    expect([...part.tuning.foldModels.keys()].sort()).toEqual(
      [...new Set([...chosen, part.tuning.best.number])].sort(),
    );
    const reused = await finalizeModel(part, options);
    const retrained = await finalizeModel({ ...part, tuning: { ...part.tuning, foldModels: new Map() } }, options);
    expect(JSON.stringify(reused.ensemble)).toBe(JSON.stringify(retrained.ensemble));
  });

  test('a warm-started tuning scores exactly the proposals, in order, by the same inner CV', async () => {
    const { table } = await loadTrainingTable(PIMA_PATH);
    const split = stratifiedSplit(table.outcome as Uint8Array, [0.6, 0.2, 0.2], 13);
    const space = [...SEARCH_SPACE, ...REGULARISATION_PARAMS];
    const from = [Object.fromEntries(space.map((p) => [p.name, p.int ? p.low : (p.low + p.high) / 2]))];
    const warmStart = { from, neighbours: 2, radius: 0.1 };
    const options = { nTrials: 3, seed: 13, numIterations: 20, workers: 0, distilTrees: 0, warmStart };
    const part = await tuneTrainingPart(table, split.train, options);
    expect(part.tuning.trials.map((t) => t.params)).toEqual(warmStartProposals(space, warmStart, 13));
    expect(part.tuning.trials.every((t) => t.state !== 'failed')).toBe(true);
    await expect(tuneTrainingPart(table, split.train, { ...options, nTrials: 5 })).rejects.toThrow(/3 trials/);
  });
});
