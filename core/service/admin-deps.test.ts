import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { defaultConfig } from '../config/app-config';
import { adminDepsFor } from './admin-deps';
import { bundleModels } from './bundle-models';

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
