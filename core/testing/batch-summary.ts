import type { BatchCommitSummary } from '../store/batch-repository';

/** A completed batch's summary with nothing rejected, warned about or measured: for tests and benchmarks. */
export function completedSummary(rowsRead: number, overrides: Partial<BatchCommitSummary> = {}): BatchCommitSummary {
  return {
    status: 'completed',
    rowsRead,
    rowsRejected: 0,
    rowsWithWarnings: 0,
    rejectedByRule: {},
    warningsByRule: {},
    retryAttempts: 0,
    durationMs: 1,
    peakRssBytes: null,
    cpuUserMs: null,
    cpuSystemMs: null,
    outputPath: null,
    outputSha256: null,
    errors: [],
    ...overrides,
  };
}
