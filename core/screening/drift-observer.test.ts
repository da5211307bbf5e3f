import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../config/app-config';
import { detectDrift } from '../drift/detect-drift';
import { transformFeatures } from '../preprocess/pipeline';
import { loadBundle } from '../registry/bundle';
import { FEATURE_COLUMNS, MODEL_FEATURES } from '../schema/columns';
import { sliceTable } from '../table/patient-table';
import { loadPimaTable } from '../testing/pima';
import { createDriftObserver, toDriftConfig } from './drift-observer';
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
        observer.chunk(part, transformFeatures(bundle.preprocess, part));
      }
      const result = await observer.finish();
      expect(result?.report).toEqual(expected);
    }
  });
});
