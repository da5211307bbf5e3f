import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../data-prep/data-manifest';
import { productionParams, RETRAIN_SEARCH, retrainProcedure } from './retrain-run';

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-retrain-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const warm = { kind: 'warm-start', ...RETRAIN_SEARCH } as const;

function modelsWith(name: string, metadata: string | null): string {
  const models = join(dir, name);
  mkdirSync(join(models, 'production'), { recursive: true });
  if (metadata !== null) writeFileSync(join(models, 'production', 'metadata.json'), metadata);
  return models;
}

describe('the retraining search', () => {
  test("starts from the production model's ensemble parameters, with nTrials their count plus the neighbours", () => {
    const models = join(dir, 'real');
    cpSync(join(REPO_ROOT, 'models/production'), join(models, 'production'), { recursive: true });
    const recorded = JSON.parse(readFileSync(join(models, 'production', 'metadata.json'), 'utf8')).ensemble_params;
    expect(productionParams(models)).toEqual(recorded);
    const { procedure, search } = retrainProcedure({ nTrials: 100, workers: 0 }, warm, models);
    expect(procedure.warmStart?.from).toEqual(recorded);
    expect(procedure.nTrials).toBe(recorded.length + RETRAIN_SEARCH.neighbours);
    expect(search).toEqual({ kind: 'warm-start', from: recorded.length, ...RETRAIN_SEARCH });
  });

  test('without production parameters (no model, unreadable or non-numeric ones) it is the full study, and says why', () => {
    const cases = [
      modelsWith('none', null),
      modelsWith('corrupt', '{ not json'),
      modelsWith('older', JSON.stringify({ version: 'v1.0.0' })),
      modelsWith('hostile', JSON.stringify({ ensemble_params: [{ learning_rate: 'DROP TABLE' }] })),
    ];
    for (const models of cases) {
      expect(productionParams(models)).toBeNull();
      const { procedure, search } = retrainProcedure({ nTrials: 40 }, warm, models);
      expect(procedure).toEqual({ nTrials: 40 });
      expect(search).toEqual({ kind: 'full', trials: 40, reason: 'no production parameters to start from' });
    }
  });

  test('asked for the full study, it runs it even with production parameters', () => {
    const models = join(dir, 'real');
    const { procedure, search } = retrainProcedure({ nTrials: 100 }, { kind: 'full' }, models);
    expect(procedure.warmStart).toBeUndefined();
    expect(search).toEqual({ kind: 'full', trials: 100 });
  });
});
