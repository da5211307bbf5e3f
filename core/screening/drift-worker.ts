import { parentPort, workerData } from 'node:worker_threads';
import type { ModelMatrix } from '../preprocess/model-matrix';
import { FEATURE_COLUMNS, MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { createDriftObserver } from './drift-batch-observer';
import type { DriftThreadSetup, FromDriftThread, ToDriftThread } from './drift-thread';

/** The drift thread (see drift-thread.ts): one batch, then it is stopped. */
const port = parentPort;
if (!port) throw new Error('drift-worker must run as a worker thread');
const setup = workerData as DriftThreadSetup;
let referenceScores: Float64Array | null = null;
const observer = createDriftObserver(
  setup.reference,
  setup.config,
  setup.model
    ? {
        importance: setup.model.importance,
        highCut: setup.model.highCut,
        referenceScores: async () => {
          if (!referenceScores) throw new Error('the reference scores were not sent');
          return referenceScores;
        },
      }
    : undefined,
);
observer.expect?.(setup.expectedRows);
const noLines = new Uint32Array(0);

port.on('message', (m: ToDriftThread) => {
  if (m.type === 'chunk') {
    const n = m.rowCount;
    const column = (f: number) => m.values.subarray(f * n, (f + 1) * n);
    const features = {} as PatientTable['features'];
    FEATURE_COLUMNS.forEach((name, f) => {
      features[name] = column(f);
    });
    const columns = {} as Record<ModelFeatureName, Float64Array>;
    MODEL_FEATURES.forEach((name, f) => {
      columns[name] = column(f);
    });
    const matrix: ModelMatrix = { rowCount: n, columns };
    // The observer reads only the row count and the feature columns of the table.
    const table: PatientTable = { rowCount: n, ids: [], lineNumbers: noLines, features, outcome: null };
    observer.chunk(table, matrix, column(MODEL_FEATURES.length));
    port.postMessage({ type: 'taken', values: m.values } satisfies FromDriftThread, [m.values.buffer]);
    return;
  }
  referenceScores = m.referenceScores;
  observer.finish().then(
    (result) => port.postMessage({ type: 'finished', result } satisfies FromDriftThread),
    (error: unknown) =>
      port.postMessage({ type: 'error', message: (error as Error).message ?? String(error) } satisfies FromDriftThread),
  );
});
