import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../config/app-config';
import { detectDrift } from '../drift/detect-drift';
import type { DriftReport } from '../drift/drift-report';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { loadBundle } from '../registry/bundle';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../schema/columns';
import { sliceTable, takeRows } from '../table/patient-table';
import { loadPimaTable } from '../testing/pima';
import { createDriftObserver, driftObserverFor, toDriftConfig } from './drift-observer';
import { threadedDriftObserver } from './drift-thread';
import { loadScreeningModel } from './load-model';
import { syntheticTable } from './synthetic-batch';

describe('drift observer', () => {
  test('chunk by chunk, in compact columns, it reports exactly what detectDrift reports on the whole batch', async () => {
    const bundle = await loadBundle(join(import.meta.dirname, '../../models/production'));
    const table = syntheticTable(await loadPimaTable(), { rows: 20_000, seed: 5 });
    // A non-integer in an integer-looking column half-way (the column widens then), a -0 and a big value.
    table.features.Glucose[12_345] = 120.5;
    table.features.Insulin[15_000] = -0;
    table.features.Insulin[15_001] = 70_000;
    const config = parseConfig({}).drift;
    const whole = transformFeatures(bundle.preprocess, table);
    const expected = detectDrift(
      bundle.reference,
      {
        rowCount: table.rowCount,
        columns: Object.fromEntries(
          MODEL_FEATURES.map((f) => [
            f,
            (FEATURE_COLUMNS as readonly string[]).includes(f)
              ? table.features[f as (typeof FEATURE_COLUMNS)[number]]
              : whole.columns[f],
          ]),
        ),
      },
      toDriftConfig(config),
    );
    for (const expectRows of [undefined, 5_000, 20_000]) {
      const observer = createDriftObserver(bundle.reference, config);
      if (expectRows !== undefined) observer.expect?.(expectRows);
      const cuts = [0, 1_000, 4_777, 12_000, 12_345, 17_000, 20_000];
      for (let k = 0; k + 1 < cuts.length; k++) {
        const part = sliceTable(table, cuts[k], cuts[k + 1]);
        observer.chunk(part, transformFeatures(bundle.preprocess, part), new Float64Array(part.rowCount));
      }
      const result = await observer.finish();
      expect(result?.report).toEqual(expected);
    }
  });
});

describe('drift observer with the model', () => {
  test('Glucose in the wrong unit: the share and count rules may pass it, but the important features and the output drift', async () => {
    const model = await loadScreeningModel(join(import.meta.dirname, '../../models/production'));
    try {
      const pima = await loadPimaTable();
      // A copy: sliceTable's columns are views of the Pima table, which the honest run below reads.
      const table = takeRows(
        pima,
        Array.from({ length: 200 }, (_, i) => i),
      );
      const glucose = table.features.Glucose;
      for (let i = 0; i < table.rowCount; i++) glucose[i] = Math.round((glucose[i] / 18.016) * 10) / 10;
      const config = parseConfig({}).drift;
      const observer = driftObserverFor(model, config);
      const matrix = transformFeatures(model.preprocess, table);
      const scores = new Float64Array(table.rowCount);
      await model.scorer.scoreInto(toFloat32RowMajor(matrix), table.rowCount, scores);
      observer.chunk(table, matrix, scores);
      const report = (await observer.finish())?.report as DriftReport;

      expect(report.importance?.drifted).toBe(true);
      expect(report.importance?.driftedImportant).toContain('Glucose');
      expect(report.output?.drifted).toBe(true);
      expect(report.output?.highShare.currentShare).toBeLessThan(report.output?.highShare.referenceShare ?? 0);
      expect(report.output?.score.referenceCount).toBe(model.bundle.reference.rowCount);

      // The same rows in the right unit: the model's output stays where the reference has it.
      const right = sliceTable(pima, 0, 200);
      const rightMatrix = transformFeatures(model.preprocess, right);
      const rightScores = new Float64Array(right.rowCount);
      await model.scorer.scoreInto(toFloat32RowMajor(rightMatrix), right.rowCount, rightScores);
      const honest = driftObserverFor(model, config);
      honest.chunk(right, rightMatrix, rightScores);
      const honestReport = (await honest.finish())?.report as DriftReport;
      expect(honestReport.output?.drifted).toBe(false);
      expect(honestReport.importance?.drifted).toBe(false);
    } finally {
      await model.scorer.release();
    }
  });
});

describe('drift observer on its own thread', () => {
  test('a batch expected to be large is observed on the drift thread, with the report the in-process observer gives', async () => {
    const model = await loadScreeningModel(join(import.meta.dirname, '../../models/production'));
    try {
      const table = syntheticTable(await loadPimaTable(), { rows: 30_000, seed: 11 });
      // Values the compact columns must keep exactly: a non-integer, a -0 and one past 16 bits.
      table.features.BloodPressure[7_000] = 72.5;
      table.features.Insulin[9_000] = -0;
      table.features.SkinThickness[21_000] = 70_000;
      const config = parseConfig({}).drift;
      const inProcess = driftObserverFor(model, config, { threadMinRows: Number.POSITIVE_INFINITY });
      const threaded = driftObserverFor(model, config, { threadMinRows: 1 });
      inProcess.expect?.(table.rowCount);
      threaded.expect?.(table.rowCount);
      // More chunks than the thread takes at once, of unequal sizes (a returned buffer is reused only if it fits).
      const cuts = [0, 4_000, 9_000, 9_001, 16_000, 23_456, 30_000];
      for (let k = 0; k + 1 < cuts.length; k++) {
        const part = sliceTable(table, cuts[k], cuts[k + 1]);
        const matrix = transformFeatures(model.preprocess, part);
        const scores = new Float64Array(part.rowCount);
        await model.scorer.scoreInto(toFloat32RowMajor(matrix), part.rowCount, scores);
        await inProcess.chunk(part, matrix, scores);
        await threaded.chunk(part, matrix, scores);
      }
      const expected = await inProcess.finish();
      const actual = await threaded.finish();
      expect((expected?.report as DriftReport | undefined)?.output?.score.currentCount).toBe(table.rowCount);
      expect(actual).toEqual(expected);
    } finally {
      await model.scorer.release();
    }
  });

  test('a failure on the drift thread fails finish() with its reason', async () => {
    const bundle = await loadBundle(join(import.meta.dirname, '../../models/production'));
    // A reference column without values: detectDrift refuses it (on the drift thread).
    const setup = {
      reference: { ...bundle.reference, columns: { ...bundle.reference.columns, Glucose: [] } },
      config: parseConfig({}).drift,
      expectedRows: 1_000,
      model: null,
    };
    const observer = threadedDriftObserver(setup, null);
    const table = syntheticTable(await loadPimaTable(), { rows: 1_000, seed: 3 });
    await observer.chunk(table, transformFeatures(bundle.preprocess, table), new Float64Array(table.rowCount));
    await expect(observer.finish()).rejects.toThrow(/drift detection failed: .*column "Glucose" has no values/);
  });

  test('an abandoned batch closes its drift thread: later chunks are dropped and finish() says so', async () => {
    const bundle = await loadBundle(join(import.meta.dirname, '../../models/production'));
    const setup = { reference: bundle.reference, config: parseConfig({}).drift, expectedRows: 1_000, model: null };
    const observer = threadedDriftObserver(setup, null);
    const table = syntheticTable(await loadPimaTable(), { rows: 1_000, seed: 4 });
    observer.close?.();
    await observer.chunk(table, transformFeatures(bundle.preprocess, table), new Float64Array(table.rowCount));
    await expect(observer.finish()).rejects.toThrow(/drift thread/);
  });
});
