import { describe, expect, test } from 'vitest';
import { storeHolderPerTest } from '../testing/temp-store';

const db = storeHolderPerTest();

describe('experiments', () => {
  test('runs, tags, stepped metrics, trials and artefacts round-trip', () => {
    const id = db.store.experiments.startRun({
      name: 'tune',
      kind: 'cv',
      params: { trials: 3 },
      tags: { seed: '42' },
      dataSha256: 'd'.repeat(64),
    });
    db.store.experiments.logMetric(id, 'f2', 0.7, 0);
    db.store.experiments.logMetric(id, 'f2', 0.8, 1);
    db.store.experiments.recordTrial(id, {
      number: 0,
      params: { lr: 0.1 },
      value: 0.8,
      state: 'complete',
      metrics: {},
    });
    db.store.experiments.recordTrial(id, {
      number: 1,
      params: { lr: 0.5 },
      value: null,
      state: 'infeasible',
      metrics: {},
    });
    db.store.experiments.finishRun(id, { status: 'finished', artifactPaths: ['models/x'], metrics: { f2: 0.8 } });
    const [run] = db.store.experiments.listRuns();
    expect(run).toMatchObject({
      id,
      kind: 'cv',
      status: 'finished',
      params: { trials: 3 },
      tags: { seed: '42' },
      artifactPaths: ['models/x'],
      metrics: { f2: 0.8 },
    });
    expect(db.store.experiments.listMetrics(id, 'f2').map((m) => [m.step, m.value])).toEqual([
      [0, 0.7],
      [1, 0.8],
    ]);
    expect(db.store.experiments.listTrials(id).map((t) => [t.number, t.state, t.value])).toEqual([
      [0, 'complete', 0.8],
      [1, 'infeasible', null],
    ]);
  });

  test('logging to a run that does not exist is an error naming the run', () => {
    expect(() => db.store.experiments.logMetric(77, 'x', 1)).toThrow(/run 77 does not exist/);
  });
});
