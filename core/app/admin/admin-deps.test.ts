import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { monitoringOptions } from '../../cli/monitor';
import { defaultConfig } from '../../config/app-config';
import { readModelExpectations } from '../../monitoring/monitoring-refresh';
import { bundleModels } from '../bundle-models';
import { adminDepsFor } from './admin-deps';
import { monitoringOptionsOf } from './monitoring-handlers';

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-admin-deps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the registry root is the production folder’s parent; the training file is used only when it exists', () => {
  const config = defaultConfig();
  const models = bundleModels(join(dir, 'models/production'));
  const missing = adminDepsFor({
    modelDir: join(dir, 'models/production'),
    config,
    models,
    trainingDataPath: join(dir, 'none.csv'),
  });
  expect(missing.modelsRoot).toBe(join(dir, 'models'));
  expect(missing.trainingDataPath === null || !missing.trainingDataPath.startsWith(dir)).toBe(true);
  const file = join(dir, 'train.csv');
  writeFileSync(file, 'Pregnancies\n');
  expect(
    adminDepsFor({ modelDir: join(dir, 'models/production'), config, models, trainingDataPath: file }).trainingDataPath,
  ).toBe(file);
});

test('the monitoring view applies the same alert and minimum-label rules as npm run monitor', () => {
  const config = {
    ...defaultConfig(),
    monitoring: { recallAlertBelow: 0.75, consecutiveWeeks: 3, minLabelsPerWeek: 25 },
  };
  const cli = monitoringOptions(config, readModelExpectations(dir));
  expect(monitoringOptionsOf(config, dir, config.screening.actor)).toEqual(cli);
});
