import { describe, expect, test } from 'vitest';
import { fitPreprocessor } from '../../core/preprocess/pipeline';
import { PIMA_PATH } from '../../core/testing/pima';
import { DEFAULT_TRAIN_CONFIG } from '../config';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { binMatrix, fitBinMappers } from '../io/binned-dataset';
import { matrixOf } from '../pipeline/fit-procedure';
import { inProcessRunner, workerRunner } from './fold-runner';
import { REGULARISATION_PARAMS, SEARCH_SPACE } from './search-space';
import { stratifiedKFold } from './stratified-split';
import { tune } from './tune';
import { warmStartProposals } from './warm-start';

async function pimaFolds() {
  const { table } = await loadTrainingTable(PIMA_PATH);
  const matrix = matrixOf(fitPreprocessor(table), table);
  const data = binMatrix(matrix, fitBinMappers(matrix, DEFAULT_TRAIN_CONFIG.maxBin, DEFAULT_TRAIN_CONFIG.minDataInBin));
  return { data, folds: stratifiedKFold(data.labels, 5, 3) };
}

const configs = [
  { numIterations: 15, numLeaves: 7, seed: 1 },
  { numIterations: 12, numLeaves: 15, learningRate: 0.2, seed: 2, baggingFraction: 0.8, baggingFreq: 1 },
  { numIterations: 10, numLeaves: 4, seed: 3 },
];

describe('worker fold runner', () => {
  test('trials asked for at once, folds taken by whichever worker is free, equal the in-thread runs', async () => {
    const { data, folds } = await pimaFolds();
    const local = inProcessRunner(data, folds);
    const expected = await Promise.all(configs.map((config) => local.run(config)));
    const runner = await workerRunner(data, folds, 2);
    try {
      const outcomes = await Promise.all(configs.map((config) => runner.run(config)));
      outcomes.forEach((trial, t) => {
        expect(trial).toHaveLength(folds.length);
        trial.forEach((fold, f) => {
          expect(Array.from(fold.margins)).toEqual(Array.from(expected[t][f].margins));
          expect(JSON.stringify(fold.model)).toBe(JSON.stringify(expected[t][f].model));
        });
      });
    } finally {
      await runner.close();
    }
  });

  test('a failing fold fails its trial with the worker message, and the others still run', async () => {
    const { data, folds } = await pimaFolds();
    const runner = await workerRunner(data, folds, 2);
    try {
      const [bad, good] = await Promise.allSettled([
        runner.run({ numLeaves: 1 }),
        runner.run({ numIterations: 5, numLeaves: 4 }),
      ]);
      expect(bad.status).toBe('rejected');
      expect(String((bad as PromiseRejectedResult).reason)).toMatch(/fold worker failed: .*numLeaves must be >= 2/);
      expect(good.status).toBe('fulfilled');
    } finally {
      await runner.close();
    }
  });

  test('a warm-started tuning on workers equals the same tuning in this thread', async () => {
    const { data, folds } = await pimaFolds();
    const space = [...SEARCH_SPACE, ...REGULARISATION_PARAMS];
    const from = [Object.fromEntries(space.map((p) => [p.name, p.int ? p.low : (p.low + p.high) / 2]))];
    const proposals = warmStartProposals(space, { from, neighbours: 3, radius: 0.1 }, 3);
    const options = {
      nTrials: proposals.length,
      proposals,
      seed: 3,
      minRecall: 0.85,
      minPrecision: 0.45,
      baseConfig: { numIterations: 15, seed: 3 },
      baggingFreq: 1,
      space,
      keepFoldModels: 2,
    };
    const inThread = await tune(data, folds, inProcessRunner(data, folds), options);
    const runner = await workerRunner(data, folds, 2);
    try {
      const onWorkers = await tune(data, folds, runner, options);
      expect(JSON.stringify(onWorkers.trials)).toBe(JSON.stringify(inThread.trials));
      expect(onWorkers.best.number).toBe(inThread.best.number);
      expect(onWorkers.trialOofMargins.map((m) => Array.from(m ?? []))).toEqual(
        inThread.trialOofMargins.map((m) => Array.from(m ?? [])),
      );
      expect(JSON.stringify([...onWorkers.foldModels])).toBe(JSON.stringify([...inThread.foldModels]));
    } finally {
      await runner.close();
    }
  });
});
