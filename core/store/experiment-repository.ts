/** Experiment tracking for training, cross-validation and benchmarks: runs, their tags, metrics and trials. */
type RunKind = 'train' | 'cv' | 'bench';
type RunStatus = 'running' | 'finished' | 'failed';
type TrialState = 'complete' | 'infeasible' | 'failed';

interface StartRunInput {
  name: string;
  kind: RunKind;
  params: object;
  tags: Record<string, string>;
  dataSha256: string;
}
export interface TrialInput {
  number: number;
  params: object;
  value: number | null;
  state: TrialState;
  metrics: object;
}
interface FinishRunInput {
  status: 'finished' | 'failed';
  artifactPaths: string[];
  metrics: object;
}
export interface RunRecord {
  id: number;
  name: string;
  kind: RunKind;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  dataSha256: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  artifactPaths: string[];
  metrics: Record<string, unknown>;
}
export interface TrialRecord {
  runId: number;
  number: number;
  params: Record<string, unknown>;
  value: number | null;
  state: TrialState;
  metrics: Record<string, unknown>;
  recordedAt: string;
}
interface MetricRecord {
  runId: number;
  key: string;
  value: number | null;
  step: number | null;
  loggedAt: string;
}
export interface ExperimentStore {
  startRun(input: StartRunInput): number;
  logMetric(runId: number, key: string, value: number, step?: number): void;
  recordTrial(runId: number, trial: TrialInput): void;
  finishRun(runId: number, result: FinishRunInput): void;
  getRun(runId: number): RunRecord | null;
  /** Newest first. */
  listRuns(): RunRecord[];
  listTrials(runId: number): TrialRecord[];
  /** In logging order; `key` filters. */
  listMetrics(runId: number, key?: string): MetricRecord[];
}
