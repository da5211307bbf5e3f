import type { AppConfig } from '../config/app-config';
import { detectDrift } from '../drift/detect-drift';
import type { DriftConfig } from '../drift/drift-config';
import type { DriftReference } from '../registry/model-metadata';
import { FEATURE_COLUMNS, MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import type { BatchObserver } from './screen-file';

/** The app config's drift section as core/drift's DriftConfig. */
export function toDriftConfig(drift: AppConfig['drift']): DriftConfig {
  return {
    method: drift.method === 'auto' ? undefined : drift.method,
    threshold: drift.threshold ?? undefined,
    perFeature: drift.perFeature,
    shareThreshold: drift.shareThreshold,
    countThreshold: drift.countThreshold,
    rule: drift.rule,
    zeroShareTolerance: drift.zeroShareTolerance,
    histogramBins: drift.histogramBins,
  };
}

/**
 * Gathers the batch's drift columns chunk by chunk (the 8 raw features as read, zeros kept, and the 3 engineered
 * features as the model saw them) and tests them against the bundle's reference once the batch is read.
 * Memory: 11 float64 columns, 88 bytes per valid row.
 */
export function createDriftObserver(reference: DriftReference, config: AppConfig['drift']): BatchObserver {
  let capacity = 1 << 16;
  let rows = 0;
  const columns = {} as Record<ModelFeatureName, Float64Array>;
  for (const name of MODEL_FEATURES) columns[name] = new Float64Array(capacity);
  const raw = new Set<string>(FEATURE_COLUMNS);
  return {
    expect(expected) {
      // Sized once: growing by doubling would hold the old and new columns at once (~130 MB at 1M rows).
      if (rows > 0 || expected <= capacity) return;
      capacity = expected;
      for (const name of MODEL_FEATURES) columns[name] = new Float64Array(capacity);
    },
    chunk(table, matrix) {
      const n = table.rowCount;
      if (rows + n > capacity) {
        while (rows + n > capacity) capacity *= 2;
        for (const name of MODEL_FEATURES) {
          const grown = new Float64Array(capacity);
          grown.set(columns[name].subarray(0, rows));
          columns[name] = grown;
        }
      }
      for (const name of MODEL_FEATURES) {
        const source = raw.has(name) ? table.features[name as (typeof FEATURE_COLUMNS)[number]] : matrix.columns[name];
        columns[name].set(source.subarray(0, n), rows);
      }
      rows += n;
    },
    async finish() {
      const current = {
        rowCount: rows,
        columns: Object.fromEntries(MODEL_FEATURES.map((f) => [f, columns[f].subarray(0, rows)])),
      };
      const report = detectDrift(reference, current, toDriftConfig(config));
      return {
        datasetDrift: report.datasetDrift.drifted,
        driftedCount: report.datasetDrift.driftedCount,
        report,
        summary: {
          datasetDrift: report.datasetDrift.drifted,
          driftedCount: report.datasetDrift.driftedCount,
          driftedFeatures: report.driftedFeatures,
        },
      };
    },
  };
}
