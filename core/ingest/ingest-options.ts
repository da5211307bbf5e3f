import type { FeatureName } from '../schema/columns';

/** Training means and population standard deviations of the raw features, for the z-score warning. */
export interface FeatureStats {
  mean: Record<FeatureName, number>;
  std: Record<FeatureName, number>;
}

export interface CsvIngestOptions {
  mode: 'batch' | 'training';
  zScoreReference?: FeatureStats;
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
