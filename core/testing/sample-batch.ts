import type { RiskCategory } from '../api/outputs';
import { FEATURE_COLUMNS } from '../schema/columns';
import type { BatchCommitSummary, BatchMeta, PredictionChunk } from '../store/batch-repository';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';

/**
 * A batch to store in store tests. Row r of the batch is patient `P<r>` on line r + 2, its inputs r * 10 + k
 * (k = the feature's index), its score (r % 100) / 100, recommended and categorised from 0.3 and 0.6.
 */
export function sampleChunk(start: number, n: number): PredictionChunk {
  const features = emptyFeatureColumns(n);
  const ids: string[] = [];
  const lineNumbers = new Uint32Array(n);
  const scores = new Float64Array(n);
  const categories: RiskCategory[] = [];
  const recommendations = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = start + i;
    ids.push(`P${r}`);
    lineNumbers[i] = r + 2;
    FEATURE_COLUMNS.forEach((f, k) => {
      features[f][i] = r * 10 + k;
    });
    scores[i] = (r % 100) / 100;
    categories.push(scores[i] >= 0.6 ? 'High' : scores[i] >= 0.3 ? 'Medium' : 'Low');
    recommendations[i] = scores[i] >= 0.3 ? 1 : 0;
  }
  const table: PatientTable = { rowCount: n, ids, lineNumbers, features, outcome: null };
  return { table, scores, categories, recommendations };
}

export const SAMPLE_BATCH_META: BatchMeta = {
  fileName: 'batch_1.csv',
  fileSha256: 'a'.repeat(64),
  source: 'test',
  actor: 'tester',
  modelVersion: 'v1.0.0',
  threshold: 0.3,
  riskCuts: { medium: 0.3, high: 0.6 },
  predictionDate: '2026-11-08T19:06:49.819Z',
};

/** Completed, one row rejected, every resource figure set. */
export const SAMPLE_BATCH_SUMMARY: BatchCommitSummary = {
  status: 'completed',
  rowsRead: 0,
  rowsRejected: 1,
  rowsWithWarnings: 0,
  rejectedByRule: { negative: 1 },
  warningsByRule: {},
  retryAttempts: 0,
  durationMs: 1000,
  peakRssBytes: 1,
  cpuUserMs: 2,
  cpuSystemMs: 3,
  outputPath: null,
  outputSha256: null,
  errors: [],
};
