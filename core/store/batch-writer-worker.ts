import { parentPort, workerData } from 'node:worker_threads';
import type { RiskCategory } from '../api/outputs';
import { parseKeyring } from '../audit-key/keyring';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import type { BatchWriter } from './batch-repository';
import type { FromWorker, ToWorker } from './batch-writer-host';
import { unpackIds } from './packed-ids';
import { RISK_CATEGORY_BY_CODE } from './risk-category-code';
import { decodeScores } from './score-codec';
import { DuplicateBatchError } from './sqlite-batch-writer';
import { openStore } from './sqlite-store';

/** The store writer thread (see batch-writer-host.ts): one connection, one transaction per batch. */
const port = parentPort;
if (!port) throw new Error('batch-writer-worker must run as a worker thread');
const { dbPath, auditTrailPath, auditKeys } = workerData as {
  dbPath: string;
  auditTrailPath?: string | null;
  auditKeys: string | null;
};
const auditKeyring = auditKeys === null ? null : parseKeyring(auditKeys, 'the batch writer thread');
const store = openStore(dbPath, auditTrailPath === undefined ? { auditKeyring } : { auditTrailPath, auditKeyring });
let writer: BatchWriter | null = null;
let failed: string | null = null;
const reply = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  try {
    switch (m.type) {
      case 'hello':
        reply({ type: 'ready' });
        return;
      case 'begin':
        failed = null;
        writer = store.batches.begin(m.meta);
        reply({ type: 'begun', batchId: writer.batchId });
        return;
      case 'predictions': {
        if (failed || !writer) {
          reply({ type: 'ack' });
          return;
        }
        const n = m.rowCount;
        const features = {} as Record<FeatureName, Float64Array>;
        FEATURE_COLUMNS.forEach((name, f) => {
          features[name] = m.values.subarray(f * n, (f + 1) * n);
        });
        const ids = unpackIds(m.idsText, m.idLengths);
        const table: PatientTable = { rowCount: n, ids, lineNumbers: m.lineNumbers, features, outcome: null };
        const categories: RiskCategory[] = new Array(n);
        for (let i = 0; i < n; i++) categories[i] = RISK_CATEGORY_BY_CODE[m.categories[i]];
        writer.addPredictions({
          table,
          scores: m.values.subarray(8 * n, 9 * n),
          categories,
          recommendations: m.recommendations,
          shadow: m.shadow ? decodeScores(m.shadow) : null,
        });
        reply({ type: 'ack' });
        return;
      }
      case 'rejected':
        if (!failed && writer) writer.addRejected(m.rows);
        reply({ type: 'ack' });
        return;
      case 'commit': {
        if (failed) throw new Error(failed);
        if (!writer) throw new Error('no batch is open');
        const drift = m.drift;
        const committing = writer;
        writer = null;
        const record = committing.commit(
          m.summary,
          drift ? (id) => store.drift.save(id, drift.verdict, drift.report) : undefined,
        );
        reply({ type: 'committed', record, writeLockMs: committing.writeLockMs });
        return;
      }
      case 'rollback':
        writer?.rollback();
        writer = null;
        reply({ type: 'rolled-back' });
        return;
      case 'close':
        writer?.rollback();
        store.close();
        reply({ type: 'rolled-back' });
        return;
    }
  } catch (error) {
    const message = (error as Error).message;
    if (m.type === 'predictions' || m.type === 'rejected') {
      // Remember the failure; the caller learns it at the next request or at commit.
      failed = message;
      writer?.rollback();
      writer = null;
      reply({ type: 'ack' });
      return;
    }
    writer?.rollback();
    writer = null;
    const duplicate =
      error instanceof DuplicateBatchError ? { sha256: error.sha256, previous: error.previous } : undefined;
    reply({ type: 'error', message, duplicate });
  }
});
