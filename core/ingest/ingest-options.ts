import type { FeatureName } from '../schema/columns';
import type { UnitsConfig } from '../schema/units';

/** Training means and population standard deviations of the raw features, for the z-score warning. */
export interface FeatureStats {
  mean: Record<FeatureName, number>;
  std: Record<FeatureName, number>;
}

/** The range of each raw feature's present values in the training data, for the far-outside-training warning. */
export interface FeatureRange {
  min: Record<FeatureName, number>;
  max: Record<FeatureName, number>;
}

export interface CsvIngestOptions {
  mode: 'batch' | 'training';
  /**
   * @deprecated No longer read: the 3-SD warning it drove fired on dozens of ordinary rows of skewed columns; the
   * far-outside-training warning reads `trainingRange`. Still accepted so that existing callers compile.
   */
  zScoreReference?: FeatureStats;
  /** The training data's range per feature: a value far outside it earns a warning. None: no such warning. */
  trainingRange?: FeatureRange;
  /** Units the configuration declares for columns whose header declares none (config `units`). */
  units?: UnitsConfig;
  /** Name shown in messages; the file's base name by default (never a full path with user folders in it). */
  displayName?: string;
  maxListedIssues?: number;
  /** Bytes per read; small values exercise chunk boundaries in tests. */
  readChunkBytes?: number;
  /**
   * false: every row goes through papaparse (the path the byte-level fast path is tested against).
   * Default true.
   */
  fastPath?: boolean;
  /** Rows the file is expected to hold (e.g. from its line count), to size the duplicate-id table once. */
  expectedRows?: number;
  /**
   * Longest line (or quoted row spanning lines) read, in characters; a longer one is rejected as soon as it passes
   * the limit, so that a hostile file costs linear time and bounded memory. Default 65,536.
   */
  maxLineLength?: number;
}

/** A clinic export's row is about 40 characters; 64 Ki leaves room for free-text columns and stops a runaway field. */
export const DEFAULT_MAX_LINE_LENGTH = 1 << 16;
