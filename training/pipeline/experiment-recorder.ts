import type { ExperimentStore, TrialInput } from '../../core/store/experiment-repository';

/**
 * Where training writes its experiment records (runs, trials, metrics, artefacts). The app's SQLite store
 * through its ExperimentStore API, or nothing (--no-record).
 */
export interface ExperimentRecorder {
  startRun(input: {
    name: string;
    kind: 'train' | 'cv' | 'bench';
    params: object;
    tags: Record<string, string>;
    dataSha256: string;
  }): number | null;
  trial(runId: number | null, trial: TrialInput): void;
  metric(runId: number | null, key: string, value: number, step?: number): void;
  finish(
    runId: number | null,
    result: { status: 'finished' | 'failed'; artifactPaths: string[]; metrics: object },
  ): void;
}

export const NULL_RECORDER: ExperimentRecorder = {
  startRun: () => null,
  trial: () => {},
  metric: () => {},
  finish: () => {},
};

/** Non-finite numbers are stored as null: JSON has no NaN, and a NaN AUC means "undefined", not zero. */
function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}

export function storeRecorder(experiments: ExperimentStore): ExperimentRecorder {
  return {
    startRun: (input) => experiments.startRun(jsonSafe(input)),
    trial: (runId, trial) => {
      if (runId !== null) experiments.recordTrial(runId, jsonSafe(trial));
    },
    metric: (runId, key, value, step) => {
      if (runId !== null && Number.isFinite(value)) experiments.logMetric(runId, key, value, step);
    },
    finish: (runId, result) => {
      if (runId !== null) experiments.finishRun(runId, jsonSafe(result));
    },
  };
}
