import { serializeProcessKeyring } from '../audit-key/keyring';
import { FEATURE_COLUMNS } from '../schema/columns';
import type {
  BatchCommitSummary,
  BatchMeta,
  BatchRecord,
  BatchWriter,
  PredictionChunk,
  StoredRowIssue,
} from './batch-repository';
import { spawnModuleWorker, WORKER_HEAP_LIMITS } from './module-worker';
import { packIds } from './packed-ids';
import { RISK_CATEGORY_BY_CODE } from './risk-category-code';
import { type EncodedScores, encodeScores } from './score-codec';
import { DuplicateBatchError } from './sqlite-batch-writer';
import type { Store } from './store';

/**
 * Where a batch is written. The worker host moves the SQLite inserts onto a second thread (its own connection,
 * its own ONE transaction per batch), so that on a 2-core machine they overlap with parsing and scoring.
 * The in-process host does the same work synchronously on the caller's connection.
 */
interface DriftToStore {
  verdict: { datasetDrift: boolean; driftedCount: number };
  report: unknown;
}

export interface AsyncBatchWriter {
  readonly batchId: number;
  /** The longest the batch held the write lock in one transaction (a chunk's rows, or the commit); known once committed. */
  readonly writeLockMs: number;
  /** Resolves once the writer can take more (at most a few chunks are in flight). */
  addPredictions(chunk: PredictionChunk): Promise<void>;
  addRejected(rows: readonly StoredRowIssue[]): Promise<void>;
  commit(summary: BatchCommitSummary, drift?: DriftToStore | null): Promise<BatchRecord>;
  rollback(): Promise<void>;
}

export interface BatchWriterHost {
  begin(meta: BatchMeta): Promise<AsyncBatchWriter>;
  close(): Promise<void>;
}

export function inProcessWriterHost(store: Store): BatchWriterHost {
  return {
    async begin(meta) {
      const writer: BatchWriter = store.batches.begin(meta);
      return {
        get batchId() {
          return writer.batchId;
        },
        get writeLockMs() {
          return writer.writeLockMs;
        },
        async addPredictions(chunk) {
          writer.addPredictions(chunk);
        },
        async addRejected(rows) {
          writer.addRejected(rows);
        },
        async commit(summary, drift) {
          return writer.commit(summary, drift ? (id) => store.drift.save(id, drift.verdict, drift.report) : undefined);
        },
        async rollback() {
          writer.rollback();
        },
      };
    },
    async close() {},
  };
}

// ---- worker protocol ----
export type ToWorker =
  | { type: 'hello' }
  | { type: 'begin'; meta: BatchMeta }
  | {
      type: 'predictions';
      rowCount: number;
      /** The ids end to end, and each one's length: one string to copy instead of an array of strings to clone. */
      idsText: string;
      idLengths: Uint32Array;
      lineNumbers: Uint32Array;
      /** 8 raw features column after column, then the scores: rowCount x 9 float64. */
      values: Float64Array;
      categories: Uint8Array;
      recommendations: Uint8Array;
      shadow: EncodedScores | null;
    }
  | { type: 'rejected'; rows: StoredRowIssue[] }
  | { type: 'commit'; summary: BatchCommitSummary; drift: DriftToStore | null }
  | { type: 'rollback' }
  | { type: 'close' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'begun'; batchId: number }
  | { type: 'ack' }
  | { type: 'committed'; record: BatchRecord; writeLockMs: number }
  | { type: 'rolled-back' }
  | { type: 'error'; message: string; duplicate?: { sha256: string; previous: BatchRecord[] } };

const MAX_IN_FLIGHT = 3;

/** A persistent worker thread holding its own store connection; start it once, reuse it for every batch. */
export async function startWorkerWriterHost(dbPath: string, auditTrailPath?: string | null): Promise<BatchWriterHost> {
  const worker = spawnModuleWorker(
    import.meta.url,
    'batch-writer-worker',
    // The thread has its own module state: it links the batch's audit event with this process's audit keys.
    { dbPath, auditTrailPath, auditKeys: serializeProcessKeyring() },
    WORKER_HEAP_LIMITS,
  );
  let failure: Error | null = null;
  const waiting: ((m: FromWorker) => void)[] = [];
  let acksPending = 0;
  let ackWaiter: (() => void) | null = null;
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'ack') {
      acksPending--;
      if (ackWaiter && acksPending < MAX_IN_FLIGHT) {
        const w = ackWaiter;
        ackWaiter = null;
        w();
      }
      return;
    }
    if (m.type === 'error') failure = new Error(m.message);
    const next = waiting.shift();
    if (next) next(m);
  });
  worker.on('error', (error) => {
    failure = error;
    for (const w of waiting.splice(0)) w({ type: 'error', message: error.message });
    ackWaiter?.();
  });
  const request = (message: ToWorker, transfer: ArrayBuffer[] = []) =>
    new Promise<FromWorker>((resolvePromise) => {
      waiting.push(resolvePromise);
      worker.postMessage(message, transfer);
    });
  const ready = await request({ type: 'hello' });
  if (ready.type !== 'ready') {
    await worker.terminate();
    throw new Error(`the store writer thread did not start: ${ready.type === 'error' ? ready.message : ready.type}`);
  }

  return {
    async begin(meta) {
      failure = null;
      const begun = await request({ type: 'begin', meta });
      if (begun.type !== 'begun') throw new Error(begun.type === 'error' ? begun.message : 'unexpected reply');
      let batchId = begun.batchId;
      let writeLockMs = 0;
      return {
        get batchId() {
          return batchId;
        },
        get writeLockMs() {
          return writeLockMs;
        },
        async addPredictions(chunk) {
          if (failure) throw failure;
          const n = chunk.table.rowCount;
          const values = new Float64Array(n * 9);
          FEATURE_COLUMNS.forEach((name, f) => {
            values.set(chunk.table.features[name].subarray(0, n), f * n);
          });
          for (let i = 0; i < n; i++) values[8 * n + i] = chunk.scores[i];
          const categories = new Uint8Array(n);
          const recommendations = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            categories[i] = RISK_CATEGORY_BY_CODE.indexOf(chunk.categories[i]);
            recommendations[i] = chunk.recommendations[i];
          }
          const lineNumbers = chunk.table.lineNumbers.slice(0, n);
          const { idsText, idLengths } = packIds(chunk.table.ids, n);
          const shadow = chunk.shadow ? encodeScores(chunk.shadow, n) : null;
          const shadowBuffers = shadow
            ? [shadow.scores.buffer, shadow.categories.buffer, shadow.recommendations.buffer]
            : [];
          acksPending++;
          worker.postMessage(
            {
              type: 'predictions',
              rowCount: n,
              idsText,
              idLengths,
              lineNumbers,
              values,
              categories,
              recommendations,
              shadow,
            } satisfies ToWorker,
            [
              values.buffer,
              categories.buffer,
              recommendations.buffer,
              lineNumbers.buffer as ArrayBuffer,
              idLengths.buffer,
              ...shadowBuffers,
            ],
          );
          if (acksPending >= MAX_IN_FLIGHT) await new Promise<void>((r) => (ackWaiter = r));
          if (failure) throw failure;
        },
        async addRejected(rows) {
          if (failure) throw failure;
          acksPending++;
          worker.postMessage({ type: 'rejected', rows: [...rows] } satisfies ToWorker);
        },
        async commit(summary, drift) {
          const reply = await request({ type: 'commit', summary, drift: drift ?? null });
          if (reply.type === 'error' && reply.duplicate) {
            throw new DuplicateBatchError(reply.duplicate.sha256, reply.duplicate.previous);
          }
          if (reply.type !== 'committed') throw new Error(reply.type === 'error' ? reply.message : 'unexpected reply');
          batchId = reply.record.id;
          writeLockMs = reply.writeLockMs;
          return reply.record;
        },
        async rollback() {
          await request({ type: 'rollback' });
        },
      };
    },
    async close() {
      await request({ type: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
