import type { AppConfig } from '../config/app-config';
import { CurrentScans, detectDrift } from '../drift/detect-drift';
import type { DriftConfig } from '../drift/drift-config';
import type { DriftReport } from '../drift/drift-report';
import { type FeatureImportance, importanceDrift } from '../drift/importance-drift';
import { outputDrift } from '../drift/output-drift';
import type { DriftReference } from '../registry/model-metadata';
import { FEATURE_COLUMNS, MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import type { BatchObserver } from './screen-file-types';

/*
 * The drift observation of one batch, with nothing of the model's preprocessing or scoring (drift-observer.ts has
 * those): the drift thread (drift-worker.ts) loads this alone.
 */

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
 * A column of the batch kept compactly: 2 bytes a value while every value is an integer in 0..65535 (the
 * integer clinical inputs and the category codes), 8 from the first value that is not. Values read back exactly.
 */
class CompactColumn {
  private small: Uint16Array | null;
  private wide: Float64Array | null = null;

  constructor(private capacity: number) {
    this.small = new Uint16Array(capacity);
  }

  append(values: Float64Array, at: number, n: number): void {
    if (at + n > this.capacity) this.grow(Math.max(at + n, this.capacity * 2), at);
    const small = this.small;
    if (small) {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if ((v & 0xffff) !== v || (v === 0 && 1 / v < 0)) {
          this.widen(at + i);
          (this.wide as Float64Array).set(values.subarray(i, n), at + i);
          return;
        }
        small[at + i] = v;
      }
    } else (this.wide as Float64Array).set(values.subarray(0, n), at);
  }

  /** The first `rows` values, as stored: the drift tests read small integers as they are, without widening them. */
  read(rows: number): Float64Array | Uint16Array {
    return this.wide ? this.wide.subarray(0, rows) : (this.small as Uint16Array).subarray(0, rows);
  }

  private widen(rows: number): void {
    const wide = new Float64Array(this.capacity);
    const small = this.small as Uint16Array;
    for (let i = 0; i < rows; i++) wide[i] = small[i];
    this.wide = wide;
    this.small = null;
  }

  private grow(capacity: number, rows: number): void {
    this.capacity = capacity;
    if (this.small) {
      const small = new Uint16Array(capacity);
      small.set(this.small.subarray(0, rows));
      this.small = small;
    } else {
      const wide = new Float64Array(capacity);
      wide.set((this.wide as Float64Array).subarray(0, rows));
      this.wide = wide;
    }
  }
}

/** What the model adds to the feature tests: its importance ranking and its scores on the reference rows. */
export interface ModelDriftContext {
  importance: readonly FeatureImportance[];
  /** The model's scores on the reference rows, computed once when first needed. */
  referenceScores: () => Promise<Float64Array>;
  /** The High cut the share of High is counted at. */
  highCut: number;
}

/**
 * Gathers the batch's drift columns chunk by chunk (the 8 raw features as read, zeros kept, and the 3 engineered
 * features as the model saw them) and tests them against the bundle's reference once the batch is read.
 * Memory: about 40 bytes per valid row (CompactColumn); the tests read the columns as kept.
 */
export function createDriftObserver(
  reference: DriftReference,
  config: AppConfig['drift'],
  model?: ModelDriftContext,
): BatchObserver {
  let capacity = 1 << 16;
  let rows = 0;
  let scores = new Float64Array(model ? capacity : 0);
  let columns = new Map<ModelFeatureName, CompactColumn>();
  const allocate = () => new Map(MODEL_FEATURES.map((name) => [name, new CompactColumn(capacity)] as const));
  columns = allocate();
  const raw = new Set<string>(FEATURE_COLUMNS);
  const driftConfig = toDriftConfig(config);
  // Each column is scanned (counts, range, KS counts) as its chunks arrive; detectDrift then reads it once more.
  const scans = new CurrentScans(reference, driftConfig);
  const scanned = new Set(scans.features());
  return {
    expect(expected) {
      // Sized once: growing by doubling would hold the old and new columns at once. The line count is only a hint
      // (blank and rejected lines take no row), so at most 4M rows are allocated up front; beyond, columns grow.
      if (rows > 0 || expected <= capacity) return;
      capacity = Math.min(expected, 1 << 22);
      columns = allocate();
      if (model) scores = new Float64Array(capacity);
    },
    chunk(table, matrix, chunkScores) {
      const n = table.rowCount;
      for (const name of MODEL_FEATURES) {
        const source = raw.has(name) ? table.features[name as (typeof FEATURE_COLUMNS)[number]] : matrix.columns[name];
        (columns.get(name) as CompactColumn).append(source, rows, n);
        if (scanned.has(name)) scans.add(name, source.subarray(0, n));
      }
      if (model) {
        if (rows + n > scores.length) {
          const grown = new Float64Array(Math.max(rows + n, scores.length * 2));
          grown.set(scores.subarray(0, rows));
          scores = grown;
        }
        scores.set(chunkScores.subarray(0, n), rows);
      }
      rows += n;
    },
    async finish() {
      // The columns as kept (drift-observer.test.ts checks the report against whole columns of doubles).
      const current = { rowCount: rows, columns: {} as Record<ModelFeatureName, Float64Array | Uint16Array> };
      for (const name of MODEL_FEATURES) current.columns[name] = (columns.get(name) as CompactColumn).read(rows);
      const report: DriftReport = detectDrift(reference, current, driftConfig, scans);
      if (model) {
        report.importance = importanceDrift(report.features, model.importance, config.importance);
        if (rows > 0) {
          report.output = outputDrift(
            await model.referenceScores(),
            scores.subarray(0, rows),
            model.highCut,
            driftConfig,
          );
        }
      }
      return {
        datasetDrift: report.datasetDrift.drifted,
        driftedCount: report.datasetDrift.driftedCount,
        report,
        summary: {
          datasetDrift: report.datasetDrift.drifted,
          driftedCount: report.datasetDrift.driftedCount,
          driftedFeatures: report.driftedFeatures,
          ...(report.importance ? { importantDrifted: report.importance.driftedImportant } : {}),
          ...(report.output ? { outputDrift: report.output.drifted } : {}),
        },
      };
    },
  };
}
