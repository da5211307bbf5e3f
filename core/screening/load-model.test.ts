import { appendFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeTestBundle } from '../testing/test-bundle';
import { loadScreeningModel, ModelLoadError } from './load-model';

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'load-model-'));
  await writeTestBundle(dir, 'v1.2.3');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadScreeningModel', () => {
  test('a verified bundle gives its version, threshold, cuts and a working scorer; config cuts override', async () => {
    const model = await loadScreeningModel(dir, { riskCuts: { medium: 0.2, high: 0.7 } });
    try {
      expect(model).toMatchObject({ version: 'v1.2.3', threshold: 0.4, riskCuts: { medium: 0.2, high: 0.7 } });
      const out = new Float64Array(1);
      await model.scorer.scoreInto(new Float32Array([2, 120, 70, 25, 80, 30, 0.4, 35, 3, 1, 3600]), 1, out);
      expect(out[0]).toBeGreaterThan(0);
      expect(out[0]).toBeLessThan(1);
    } finally {
      await model.scorer.release();
    }
  });

  test('a tampered model.onnx is refused with an error naming the file', async () => {
    appendFileSync(join(dir, 'model.onnx'), Buffer.from([0]));
    const error = await loadScreeningModel(dir).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toMatch(/model\.onnx: sha256 .* does not match/);
  });

  test('a missing file is refused with an error naming it', async () => {
    unlinkSync(join(dir, 'preprocessing.json'));
    await expect(loadScreeningModel(dir)).rejects.toThrow(/preprocessing\.json: not found/);
  });
});
