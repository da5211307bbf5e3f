import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fitPreprocessor } from '../../core/preprocess/pipeline';
import { BundleError, loadBundle } from '../../core/registry/bundle';
import { ModelRegistry } from '../../core/registry/model-registry';
import { takeRows } from '../../core/table/patient-table';
import { PIMA_PATH } from '../../core/testing/pima';
import { testBundleMetadata } from '../../core/testing/test-bundle';
import { trainGbdt } from '../boosting/gbdt';
import { loadTrainingTable } from '../data-prep/load-training-table';
import { binMatrix, fitBinMappers } from '../io/binned-dataset';
import { matrixOf } from '../pipeline/fit-procedure';
import { driftReference } from '../pipeline/train-run';
import { renderModelCard } from './model-card';
import { writeBundle } from './write-bundle';

let root: string;
let makeBundle: (dir: string, version: string) => void;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'glucoscreen-registry-'));
  const { table, sha256 } = await loadTrainingTable(PIMA_PATH);
  const rows = Array.from({ length: 500 }, (_, i) => i);
  const trainTable = takeRows(table, rows);
  const preprocess = fitPreprocessor(trainTable);
  const matrix = matrixOf(preprocess, trainTable);
  const { ensemble } = trainGbdt(binMatrix(matrix, fitBinMappers(matrix, 255, 3)), { numIterations: 10 });
  const calibration = { method: 'platt' as const, slope: 0.8, intercept: -0.5 };
  makeBundle = (dir, version) =>
    writeBundle(dir, {
      ensemble,
      calibration,
      preprocess,
      reference: driftReference(trainTable, preprocess),
      metadata: testBundleMetadata({
        version,
        calibration,
        optimal_threshold: 0.3,
        data_path: 'training/data/diabetes.csv',
        data_sha256: sha256,
      }),
      modelCard: renderModelCard,
    });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('model bundle', () => {
  test('a written bundle loads with its trees, preprocessing, reference and ONNX bytes', async () => {
    const dir = join(root, 'ok');
    makeBundle(dir, 'v1.0.0');
    const bundle = await loadBundle(dir);
    expect(bundle.metadata.version).toBe('v1.0.0');
    expect(bundle.ensemble.trees.length).toBe(10);
    expect(bundle.reference.rowCount).toBe(500);
    expect(bundle.reference.columns.Insulin.filter((v) => v === 0).length).toBeGreaterThan(0); // raw zeros kept
    expect(bundle.onnxBytes.length).toBeGreaterThan(1000);
    expect(readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8')).toContain('## Caveats and recommendations');
  });

  test('a truncated or edited model file is refused as tampered, naming the file', async () => {
    const dir = join(root, 'tampered');
    makeBundle(dir, 'v1.0.0');
    const onnx = readFileSync(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), onnx.subarray(0, onnx.length - 10));
    const error = await loadBundle(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).code).toBe('tampered');
    expect((error as BundleError).message).toMatch(/model\.onnx: sha256 [0-9a-f]{64} does not match/);

    const dir2 = join(root, 'tampered-trees');
    makeBundle(dir2, 'v1.0.0');
    appendFileSync(join(dir2, 'trees.json'), ' ');
    await expect(loadBundle(dir2)).rejects.toMatchObject({ code: 'tampered', file: 'trees.json' });
  });

  test('a missing file and an invalid metadata file are refused with their codes', async () => {
    const dir = join(root, 'missing');
    makeBundle(dir, 'v1.0.0');
    rmSync(join(dir, 'reference.json'));
    await expect(loadBundle(dir)).rejects.toMatchObject({ code: 'missing', file: 'reference.json' });
    const dir2 = join(root, 'invalid');
    makeBundle(dir2, 'v1.0.0');
    const meta = JSON.parse(readFileSync(join(dir2, 'metadata.json'), 'utf8'));
    meta.version = '1.0';
    writeFileSync(join(dir2, 'metadata.json'), JSON.stringify(meta));
    await expect(loadBundle(dir2)).rejects.toMatchObject({ code: 'invalid', file: 'metadata.json' });
  });
});

describe('model registry', () => {
  test('promote moves production to backup and archives the older backup; rollback swaps back', async () => {
    const models = join(root, 'models-a');
    const registry = new ModelRegistry(models);
    for (const v of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
      const dir = registry.experimentDir(new Date(Date.UTC(2026, 0, 1, 0, 0, Number(v.split('.')[1]))));
      makeBundle(dir, v);
      await registry.promote(dir);
    }
    expect(registry.productionVersion()).toBe('v1.2.0');
    expect((await loadBundle(registry.backup)).metadata.version).toBe('v1.1.0');
    expect(existsSync(join(registry.archive, 'v1.0.0', 'model.onnx'))).toBe(true);
    expect(registry.listExperiments().map((d) => d.split('/').pop())).toEqual([
      'model_20260101_000000',
      'model_20260101_000001',
      'model_20260101_000002',
    ]);
    expect(await registry.rollback()).toBe('v1.1.0');
    expect(registry.productionVersion()).toBe('v1.1.0');
    expect((await loadBundle(registry.backup)).metadata.version).toBe('v1.2.0');
  });

  test('a candidate that is not newer, or is tampered, is not promoted and production is unchanged', async () => {
    const models = join(root, 'models-b');
    const registry = new ModelRegistry(models);
    const first = join(root, 'cand-b1');
    makeBundle(first, 'v2.0.0');
    await registry.promote(first);
    const older = join(root, 'cand-b2');
    makeBundle(older, 'v1.9.0');
    await expect(registry.promote(older)).rejects.toThrow(/needs a higher version/);
    const bad = join(root, 'cand-b3');
    makeBundle(bad, 'v2.1.0');
    appendFileSync(join(bad, 'preprocessing.json'), '\n');
    await expect(registry.promote(bad)).rejects.toMatchObject({ code: 'tampered' });
    expect(registry.productionVersion()).toBe('v2.0.0');
    expect(existsSync(registry.backup)).toBe(false);
  });

  test('a crash half-way through promote leaves a whole production (old or new) and recovery completes it', async () => {
    // Crash before the 1st, 2nd or 3rd rename; and the same with that rename done but not yet journaled.
    for (const [crashAfter, renamedUnjournaled] of [0, 1, 2].flatMap(
      (k) =>
        [
          [k, false],
          [k, true],
        ] as const,
    )) {
      const models = join(root, `models-crash-${crashAfter}-${renamedUnjournaled}`);
      const registry = new ModelRegistry(models);
      for (const v of ['v1.0.0', 'v1.1.0']) {
        const dir = join(root, `crash-${crashAfter}-${renamedUnjournaled}-${v}`);
        makeBundle(dir, v);
        await registry.promote(dir);
      }
      const next = join(root, `crash-${crashAfter}-${renamedUnjournaled}-next`);
      makeBundle(next, 'v1.2.0');
      registry.crashAfterSteps = crashAfter;
      await expect(registry.promote(next)).rejects.toThrow(/simulated crash/);
      if (renamedUnjournaled) {
        const journal = JSON.parse(readFileSync(join(models, '.registry-journal.json'), 'utf8'));
        const step = journal.steps[journal.done];
        renameSync(step.from, step.to);
      }
      // Whatever is in production right now is a complete, verified bundle, or absent mid-rename.
      if (existsSync(registry.production)) {
        expect(['v1.1.0', 'v1.2.0']).toContain((await loadBundle(registry.production)).metadata.version);
      }
      const restarted = new ModelRegistry(models);
      const bundle = await restarted.loadProduction();
      expect(bundle.metadata.version).toBe('v1.2.0');
      expect((await loadBundle(restarted.backup)).metadata.version).toBe('v1.1.0');
      expect(existsSync(join(restarted.archive, 'v1.0.0'))).toBe(true);
    }
  });

  test('a crash half-way through rollback is completed on the next start', async () => {
    for (const crashAfter of [0, 1, 2]) {
      const models = join(root, `models-rollback-crash-${crashAfter}`);
      const registry = new ModelRegistry(models);
      for (const v of ['v1.0.0', 'v1.1.0']) {
        const dir = join(root, `rollback-crash-${crashAfter}-${v}`);
        makeBundle(dir, v);
        await registry.promote(dir);
      }
      registry.crashAfterSteps = crashAfter;
      await expect(registry.rollback()).rejects.toThrow(/simulated crash/);
      const restarted = new ModelRegistry(models);
      expect((await restarted.loadProduction()).metadata.version).toBe('v1.0.0');
      expect((await loadBundle(restarted.backup)).metadata.version).toBe('v1.1.0');
    }
  });
});
