import { parentPort } from 'node:worker_threads';
import type { TrainConfig } from '../config';
import type { BinnedDataset } from '../io/binned-dataset';
import { type DistilJob, runDistilJob } from '../pipeline/distil';
import { type FoldData, prepareFolds, runFold } from './fold-task';

/**
 * Worker side of the fold pool: receives the binned training part once, then trains folds on request. The same
 * worker also distils students (no init needed), so that one bundled entry serves both pools.
 */
type Message =
  | { type: 'init'; data: BinnedDataset; folds: number[][] }
  | { type: 'run'; jobId: number; config: Partial<TrainConfig>; foldIds: number[] }
  | { type: 'distil'; jobId: number; job: DistilJob };

let folds: FoldData[] = [];

parentPort?.on('message', (message: Message) => {
  if (message.type === 'init') {
    folds = prepareFolds(message.data, message.folds);
    parentPort?.postMessage({ type: 'ready' });
    return;
  }
  try {
    if (message.type === 'distil') {
      parentPort?.postMessage({ type: 'distilled', jobId: message.jobId, student: runDistilJob(message.job) });
      return;
    }
    const outcomes = message.foldIds.map((id) => runFold(folds[id], message.config));
    parentPort?.postMessage({ type: 'done', jobId: message.jobId, outcomes });
  } catch (error) {
    parentPort?.postMessage({ type: 'error', jobId: message.jobId, message: String(error) });
  }
});
