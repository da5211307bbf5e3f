import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type EarlySession, openEarlySession, scorerOpening } from '../inference/early-session';
import { startScoreThread } from '../inference/worker-scorer';
import { MODEL_FEATURES } from '../schema/columns';
import { buildChallengerParts } from '../testing/challenger-model';
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

  test('a session opened early on a score thread is adopted when its bytes are the verified ones', async () => {
    const early = openEarlySession(startScoreThread(MODEL_FEATURES.length), dir);
    expect(early).not.toBeNull();
    const model = await loadScreeningModel(dir, { earlySession: early });
    const local = await loadScreeningModel(dir);
    try {
      // Adopted while it may still be opening: the first request waits for it.
      expect(model.scorer.concurrent).toBe(true);
      const input = new Float32Array([2, 120, 70, 25, 80, 30, 0.4, 35, 3, 1, 3600]);
      const [a, b] = [new Float64Array(1), new Float64Array(1)];
      await model.scorer.scoreInto(input, 1, a);
      await local.scorer.scoreInto(input, 1, b);
      expect(a).toEqual(b);
    } finally {
      await model.scorer.release();
      await local.scorer.release();
    }
  });

  test('an early read of a tampered model.onnx opens nothing; a model swapped after it is not the one adopted', async () => {
    const original = readFileSync(join(dir, 'model.onnx'));
    appendFileSync(join(dir, 'model.onnx'), Buffer.from([0]));
    expect(openEarlySession(startScoreThread(MODEL_FEATURES.length), dir)).toBeNull();
    writeFileSync(join(dir, 'model.onnx'), original);

    // Opened early from this bundle's model, then the whole bundle is replaced by another model's.
    const early = openEarlySession(startScoreThread(MODEL_FEATURES.length), dir);
    const other = mkdtempSync(join(tmpdir(), 'load-model-other-'));
    try {
      await writeTestBundle(other, 'v9.9.9', await buildChallengerParts());
      for (const file of ['metadata.json', 'model.onnx', 'preprocessing.json', 'reference.json', 'trees.json']) {
        copyFileSync(join(other, file), join(dir, file));
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    const model = await loadScreeningModel(dir, { earlySession: early });
    try {
      expect(model.version).toBe('v9.9.9');
      expect(model.scorer).not.toBe(await early?.scorer);
      expect(model.scorer.concurrent).toBeFalsy();
      // The early session was released: its thread no longer scores.
      await expect((await early?.scorer)?.scoreInto(new Float32Array(11), 1, new Float64Array(1))).rejects.toThrow(
        /stopped/,
      );
    } finally {
      await model.scorer.release();
    }
  });

  test('an early session whose model fails to open is refused at adoption, or by its first request if still opening', async () => {
    // Bytes that are no ONNX model, recorded in metadata.json as the model: the bundle verifies, the session fails.
    const garbage = Buffer.from('not an onnx model');
    writeFileSync(join(dir, 'model.onnx'), garbage);
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
    meta.files['model.onnx'] = createHash('sha256').update(garbage).digest('hex');
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify(meta));

    const failed = openEarlySession(startScoreThread(MODEL_FEATURES.length), dir);
    await failed?.scorer.catch(() => undefined);
    const error = await loadScreeningModel(dir, { earlySession: failed }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toMatch(/model\.onnx: the ONNX model could not be loaded/);

    const opening = openEarlySession(startScoreThread(MODEL_FEATURES.length), dir);
    expect(opening?.failure).toBeNull();
    const scorer = scorerOpening(opening as EarlySession, MODEL_FEATURES.length, join(dir, 'model.onnx'));
    await expect(scorer.scoreInto(new Float32Array(11), 1, new Float64Array(1))).rejects.toThrow(
      /model\.onnx: the ONNX model could not be loaded/,
    );
    await scorer.release();
  });
});
