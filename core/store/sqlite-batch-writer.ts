import { hostname } from 'node:os';
import { FEATURE_COLUMNS } from '../schema/columns';
import { isProcessAlive } from '../util/process-alive';
import type { AuditEvent } from './audit-log';
import type { BatchCommitSummary, BatchMeta, BatchRecord, BatchWriter, PredictionChunk } from './batch-repository';
import { immediateTransaction, type SqliteDatabase, type SqliteStatement, transaction } from './database';
import { encodeInputBlob } from './input-blob';
import { categoryCode } from './risk-category-code';
import { json } from './row-values';
import { encodeShadowBlobs } from './shadow-blob';
import type { ShadowCommit } from './shadow-repository';
import { eventTrailLine, type SqliteAuditLog } from './sqlite-audit-log';
import { INPUT_BLOB_ROWS, type PredictionInputs } from './sqlite-prediction-inputs';
import { StoreError } from './store-error';

/** The file was scored (or rejected) by a batch that committed first; nothing of this batch was stored. */
export class DuplicateBatchError extends StoreError {
  constructor(
    readonly sha256: string,
    readonly previous: BatchRecord[],
  ) {
    super(
      'conflict',
      `this file (sha256 ${sha256.slice(0, 12)}...) was already scored as batch ${previous[previous.length - 1].id}`,
    );
    this.name = 'DuplicateBatchError';
  }
}

const PREDICTION_COLUMNS = ['batch_id', 'row_index', 'line', 'patient_id', 'score', 'category', 'recommendation'];
const PREDICTION_PARAMS = PREDICTION_COLUMNS.length;
/**
 * Rows per multi-row INSERT: one statement call per 256 rows costs far less than 256 calls (binding, stepping and
 * the statement's own overhead are paid per call). A chunk's last rows go in 64 at a time, then one statement for
 * the rest, so that at most 63 tail statements are ever prepared.
 */
const ROWS_PER_INSERT = 256;
const ROWS_PER_SMALL_INSERT = 64;
/** Rejected and warned rows are few: 64 a statement. */
const ISSUES_PER_INSERT = 64;
const ISSUE_PARAMS = 9;
/** Rows deleted per transaction when a batch being written is discarded: other writers wait only that long. */
const DISCARD_ROWS_PER_TRANSACTION = 65_536;

/** The status of a batch whose rows are being written: no reader shows it (sqlite-batch-repository.ts). */
export const WRITING_STATUS = 'running';

/** Who writes a 'running' batch: the host and the process, so that recovery can tell a live writer from a crash. */
export function batchWriterId(): string {
  return `${hostname()}:${process.pid}`;
}

interface SqliteBatchWriters {
  begin(meta: BatchMeta): BatchWriter;
  /** Rolls back the batch being written on this connection, if any (the connection is closing). */
  abandonOpenBatch(): void;
}

/**
 * Deletes a batch that never committed, its rows first in small transactions, so that discarding a large batch
 * never holds the write lock long; the batch's own row goes last, so that a crash part-way leaves a 'running'
 * batch for the next recovery to finish.
 */
export function discardWritingBatch(db: SqliteDatabase, batchId: number): void {
  const deletes = [
    db.prepare(
      `DELETE FROM predictions WHERE batch_id = @batchId AND row_index IN
         (SELECT row_index FROM predictions WHERE batch_id = @batchId ORDER BY row_index LIMIT @limit)`,
    ),
    db.prepare(
      `DELETE FROM prediction_inputs WHERE batch_id = @batchId AND first_row IN
         (SELECT first_row FROM prediction_inputs WHERE batch_id = @batchId ORDER BY first_row LIMIT @limit)`,
    ),
    db.prepare(
      `DELETE FROM rejected_rows WHERE batch_id = @batchId AND seq IN
         (SELECT seq FROM rejected_rows WHERE batch_id = @batchId ORDER BY seq LIMIT @limit)`,
    ),
  ];
  const stillWriting = db.prepare(`SELECT 1 FROM batches WHERE id = ? AND status = '${WRITING_STATUS}'`);
  for (const statement of deletes) {
    for (;;) {
      const deleted = immediateTransaction(db, () =>
        stillWriting.get(batchId) ? statement.run({ batchId, limit: DISCARD_ROWS_PER_TRANSACTION }).changes : 0,
      );
      if (deleted < DISCARD_ROWS_PER_TRANSACTION) break;
    }
  }
  immediateTransaction(db, () =>
    db.prepare(`DELETE FROM batches WHERE id = ? AND status = '${WRITING_STATUS}'`).run(batchId),
  );
}

/**
 * 'running' batches whose writer is gone (a process killed mid-batch): deleted, as recovery at start-up. A batch
 * written by a live process, by this process, or on another host is left alone: only its writer may end it.
 */
export function discardAbandonedBatches(db: SqliteDatabase, isAlive = isProcessAlive): number[] {
  const writing = db.prepare(`SELECT id, writer FROM batches WHERE status = '${WRITING_STATUS}' ORDER BY id`).all() as {
    id: number;
    writer: string | null;
  }[];
  const here = hostname();
  const discarded: number[] = [];
  for (const { id, writer } of writing) {
    const at = writer?.lastIndexOf(':') ?? -1;
    const host = writer?.slice(0, at);
    const pid = Number(writer?.slice(at + 1));
    // Without a writer the batch predates migration 13, when 'running' rows were never committed: abandoned too.
    const abandoned =
      writer === null || (host === here && Number.isInteger(pid) && pid !== process.pid && !isAlive(pid));
    if (!abandoned) continue;
    discardWritingBatch(db, id);
    discarded.push(id);
  }
  return discarded;
}

/**
 * Writes batches. The batch's row is created at begin() as 'running', which no reader shows, and its rows go into
 * their final tables chunk by chunk, each chunk in its own short transaction; commit() then checks for a duplicate,
 * sets the batch's final status and appends its audit event in ONE tiny transaction. So other writers never wait
 * for more than a chunk, and a batch is visible whole or not at all. A batch that does not commit is deleted
 * (rollback, or recovery after a crash: discardAbandonedBatches). The shadow's few per-chunk blobs are staged in a
 * TEMP table and moved at commit, as its rows go in only when it scored every row. At most one batch is open per
 * connection.
 */
export function createSqliteBatchWriters(
  db: SqliteDatabase,
  deps: {
    audit: SqliteAuditLog;
    inputs: PredictionInputs;
    getBatch: (batchId: number) => BatchRecord | null;
    findBySha256: (sha256: string) => BatchRecord[];
    iso: () => string;
  },
): SqliteBatchWriters {
  const { audit, getBatch, iso } = deps;
  let activeBatch: number | null = null;

  db.exec(`CREATE TEMP TABLE IF NOT EXISTS staged_shadow (first_row INTEGER PRIMARY KEY, row_count, scores,
             categories, recommendations);`);
  const clearStagedShadow = () => db.exec('DELETE FROM temp.staged_shadow;');
  const rowPlaceholders = `(${new Array(PREDICTION_PARAMS).fill('?').join(',')})`;
  const insertSql = `INSERT INTO predictions (${PREDICTION_COLUMNS.join(',')}) VALUES `;
  const insertRows = (rows: number) => db.prepare(insertSql + new Array(rows).fill(rowPlaceholders).join(','));
  const insertMany = insertRows(ROWS_PER_INSERT);
  const insertSmall = insertRows(ROWS_PER_SMALL_INSERT);
  /** One statement per tail length (a chunk's last rows % ROWS_PER_SMALL_INSERT), prepared when first needed. */
  const insertTail: { statement: SqliteStatement; args: unknown[] }[] = [];
  const stageShadow = db.prepare(
    `INSERT INTO temp.staged_shadow (first_row, row_count, scores, categories, recommendations)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const insertInputs = db.prepare(
    'INSERT INTO prediction_inputs (batch_id, first_row, row_count, inputs) VALUES (?, ?, ?, ?)',
  );
  const issueSql =
    'INSERT INTO rejected_rows (batch_id, seq, line, patient_id, rule, column_name, value, message, severity) VALUES ';
  const issuePlaceholders = `(${new Array(ISSUE_PARAMS).fill('?').join(', ')})`;
  const insertIssue = db.prepare(issueSql + issuePlaceholders);
  // A large batch can list many warnings: 64 a statement.
  const insertIssues = db.prepare(issueSql + new Array(ISSUES_PER_INSERT).fill(issuePlaceholders).join(', '));
  const insertBatch = db.prepare(
    `INSERT INTO batches (file_name, file_path, file_sha256, file_bytes, source, actor, status, model_version,
       model_dir, threshold, risk_cuts, prediction_date, started_at, writer)
     VALUES (?, ?, ?, ?, ?, ?, '${WRITING_STATUS}', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertShadowBatch = db.prepare(
    `INSERT INTO shadow_batches (batch_id, assignment_id, model_version, status, error, row_count)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const moveShadow = db.prepare(
    `INSERT INTO shadow_scores (batch_id, first_row, row_count, scores, categories, recommendations)
     SELECT ?, first_row, row_count, scores, categories, recommendations FROM temp.staged_shadow ORDER BY first_row`,
  );
  /**
   * Takes the write lock at once (waiting up to the busy timeout for another writer), as a chunk is short; returns
   * how long it held the lock, which is how long another writer may have waited.
   */
  const inWriteTransaction = (fn: () => void): number => {
    db.exec('BEGIN IMMEDIATE');
    const lockedAt = performance.now();
    try {
      fn();
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    return performance.now() - lockedAt;
  };

  const begin = (meta: BatchMeta): BatchWriter => {
    if (activeBatch !== null) {
      throw new StoreError('batch-active', `batch ${activeBatch} is still being written on this connection`);
    }
    const startedAt = meta.startedAt ?? iso();
    clearStagedShadow();
    let batchId = 0;
    const beginLockMs = inWriteTransaction(() => {
      const info = insertBatch.run(
        meta.fileName,
        meta.filePath ?? null,
        meta.fileSha256,
        meta.fileBytes ?? null,
        meta.source,
        meta.actor,
        meta.modelVersion,
        meta.modelDir ?? null,
        meta.threshold,
        meta.riskCuts ? JSON.stringify(meta.riskCuts) : null,
        meta.predictionDate,
        startedAt,
        batchWriterId(),
      );
      batchId = Number(info.lastInsertRowid);
    });
    activeBatch = batchId;
    let open = true;
    /** Set when addPredictions failed part-way: some of that chunk's rows may be in, so the batch must not commit. */
    let failed: string | null = null;
    let rowIndex = 0;
    let issueSeq = 0;
    const counts = { High: 0, Medium: 0, Low: 0 };
    let recommended = 0;
    const args: unknown[] = new Array(ROWS_PER_INSERT * PREDICTION_PARAMS);
    const smallArgs: unknown[] = new Array(ROWS_PER_SMALL_INSERT * PREDICTION_PARAMS);
    /** The longest the batch held the write lock in one transaction: its start, a chunk's rows, or the commit. */
    let writeLockMs = beginLockMs;
    const held = (ms: number) => {
      if (ms > writeLockMs) writeLockMs = ms;
    };
    /** Rows of the shadow's scores staged so far, and why staging them stopped (a shadow never fails the batch). */
    let shadowRows = 0;
    let shadowProblem: string | null = null;

    const ensureOpen = () => {
      if (!open) throw new StoreError('batch-closed', `batch ${batchId} is already committed or rolled back`);
    };
    const fill = (target: unknown[], offset: number, chunk: PredictionChunk, i: number) => {
      const t = chunk.table;
      target[offset] = batchId;
      target[offset + 1] = rowIndex + i;
      target[offset + 2] = t.lineNumbers[i];
      target[offset + 3] = t.ids[i];
      target[offset + 4] = chunk.scores[i];
      const category = chunk.categories[i];
      target[offset + 5] = categoryCode(category);
      const rec = chunk.recommendations[i] ? 1 : 0;
      target[offset + 6] = rec;
      counts[category]++;
      recommended += rec;
    };
    const close = () => {
      open = false;
      activeBatch = null;
      clearStagedShadow();
    };
    /** Deletes the uncommitted batch; when that fails too (the database is busy or gone), recovery deletes it. */
    const discard = () => {
      try {
        discardWritingBatch(db, batchId);
      } catch {
        // Left 'running': no reader shows it, and the next start-up after this process ends removes it.
      }
    };
    const rollback = () => {
      if (!open) return;
      if (db.inTransaction) db.exec('ROLLBACK');
      close();
      discard();
    };
    /** Rows [from, from + count) of the chunk, in 256-row statements, then 64-row ones, and one for the rest. */
    const insertRowsOf = (chunk: PredictionChunk, from: number, count: number) => {
      const end = from + count;
      let i = from;
      for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) fill(args, j * PREDICTION_PARAMS, chunk, i + j);
        insertMany.run(args);
      }
      for (; i + ROWS_PER_SMALL_INSERT <= end; i += ROWS_PER_SMALL_INSERT) {
        for (let j = 0; j < ROWS_PER_SMALL_INSERT; j++) fill(smallArgs, j * PREDICTION_PARAMS, chunk, i + j);
        insertSmall.run(smallArgs);
      }
      const tail = end - i;
      if (tail > 0) {
        insertTail[tail] ??= { statement: insertRows(tail), args: new Array(tail * PREDICTION_PARAMS) };
        const { statement, args: tailArgs } = insertTail[tail];
        for (let j = 0; j < tail; j++) fill(tailArgs, j * PREDICTION_PARAMS, chunk, i + j);
        statement.run(tailArgs);
      }
    };
    /** One short write transaction per blob of inputs and its rows, so that other writers never wait for a chunk. */
    const insertChunk = (chunk: PredictionChunk) => {
      const n = chunk.table.rowCount;
      const columns = FEATURE_COLUMNS.map((f) => chunk.table.features[f]);
      for (let s = 0; s < n; s += INPUT_BLOB_ROWS) {
        const count = Math.min(INPUT_BLOB_ROWS, n - s);
        const blob = encodeInputBlob(columns, s, count);
        held(
          inWriteTransaction(() => {
            insertRowsOf(chunk, s, count);
            insertInputs.run(batchId, rowIndex + s, count, blob);
          }),
        );
      }
      rowIndex += n;
    };

    /**
     * Inside the batch's transaction: the shadow's rows go in only when it scored every row, under a savepoint, so
     * that a failure here is recorded as the shadow's and the production batch commits unchanged.
     */
    const storeShadow = (id: number, shadow: ShadowCommit, rowsValid: number) => {
      let status = shadow.status;
      let error = shadow.error;
      if (status === 'scored' && shadowProblem !== null) error = shadowProblem;
      else if (status === 'scored' && shadowRows !== rowsValid)
        error = `the shadow scored ${shadowRows} of ${rowsValid} rows`;
      if (error !== null) status = 'failed';
      if (status === 'scored') {
        try {
          transaction(db, () => {
            insertShadowBatch.run(id, shadow.assignmentId, shadow.modelVersion, status, null, shadowRows);
            moveShadow.run(id);
          });
        } catch (failure) {
          status = 'failed';
          error = `storing the shadow's scores failed (${(failure as Error).message})`;
        }
      }
      if (status === 'failed') {
        insertShadowBatch.run(id, shadow.assignmentId, shadow.modelVersion, status, error, 0);
      }
      return { modelVersion: shadow.modelVersion, status, ...(error === null ? {} : { error }) };
    };

    return {
      get batchId() {
        return batchId;
      },
      get writeLockMs() {
        return writeLockMs;
      },
      addPredictions(chunk) {
        ensureOpen();
        const firstRow = rowIndex;
        try {
          insertChunk(chunk);
        } catch (error) {
          failed = (error as Error).message;
          throw error;
        }
        const shadow = chunk.shadow;
        if (!shadow || shadowProblem !== null) return;
        const n = chunk.table.rowCount;
        if (n === 0) return;
        try {
          const blobs = encodeShadowBlobs(shadow, n);
          stageShadow.run(firstRow, n, blobs.scores, blobs.categories, blobs.recommendations);
          shadowRows += n;
        } catch (error) {
          shadowProblem = `storing the shadow's scores failed (${(error as Error).message})`;
        }
      },
      addRejected(rows) {
        ensureOpen();
        const ms = inWriteTransaction(() => {
          let i = 0;
          const many: unknown[] = new Array(ISSUES_PER_INSERT * ISSUE_PARAMS);
          for (; i + ISSUES_PER_INSERT <= rows.length; i += ISSUES_PER_INSERT) {
            for (let j = 0; j < ISSUES_PER_INSERT; j++) {
              const r = rows[i + j];
              const at = j * ISSUE_PARAMS;
              many[at] = batchId;
              many[at + 1] = issueSeq++;
              many[at + 2] = r.line;
              many[at + 3] = r.patientId;
              many[at + 4] = r.rule;
              many[at + 5] = r.column;
              many[at + 6] = r.value;
              many[at + 7] = r.message;
              many[at + 8] = r.severity;
            }
            insertIssues.run(many);
          }
          for (; i < rows.length; i++) {
            const r = rows[i];
            insertIssue.run(batchId, issueSeq++, r.line, r.patientId, r.rule, r.column, r.value, r.message, r.severity);
          }
        });
        held(ms);
      },
      commit(summary: BatchCommitSummary, inTransaction?: (batchId: number) => void) {
        ensureOpen();
        if (failed !== null) {
          rollback();
          throw new StoreError(
            'invalid',
            `batch ${batchId} was rolled back: storing its predictions failed (${failed})`,
          );
        }
        const finishedAt = summary.finishedAt ?? iso();
        const rowsValid = rowIndex;
        const rowsPerSecond = summary.durationMs > 0 ? summary.rowsRead / (summary.durationMs / 1000) : null;
        let event: AuditEvent;
        const lockedAt = performance.now();
        try {
          // Inside the try: when another connection holds the write lock past the busy timeout, BEGIN IMMEDIATE
          // itself fails (SQLITE_BUSY), and the batch must still be closed so that the connection can begin another.
          db.exec('BEGIN IMMEDIATE');
          if (meta.refuseIfScoredAs && meta.refuseIfScoredAs.length > 0) {
            const statuses = meta.refuseIfScoredAs;
            const previous = deps.findBySha256(meta.fileSha256).filter((b) => statuses.includes(b.status));
            if (previous.length > 0) throw new DuplicateBatchError(meta.fileSha256, previous);
          }
          audit.holdTrail();
          const finished = db
            .prepare(
              `UPDATE batches SET status = ?, finished_at = ?, duration_ms = ?, rows_read = ?, rows_valid = ?,
               rows_rejected = ?, rows_with_warnings = ?, rejected_by_rule = ?, warnings_by_rule = ?, count_high = ?,
               count_medium = ?, count_low = ?, count_recommended = ?, retry_attempts = ?, rows_per_second = ?,
               peak_rss_bytes = ?, batch_memory_bytes = ?, cpu_user_ms = ?, cpu_system_ms = ?, output_path = ?,
               output_sha256 = ?, errors = ?, units = ?, writer = NULL
             WHERE id = ? AND status = '${WRITING_STATUS}'`,
            )
            .run(
              summary.status,
              finishedAt,
              summary.durationMs,
              summary.rowsRead,
              rowsValid,
              summary.rowsRejected,
              summary.rowsWithWarnings,
              json(summary.rejectedByRule),
              json(summary.warningsByRule),
              counts.High,
              counts.Medium,
              counts.Low,
              recommended,
              summary.retryAttempts,
              rowsPerSecond,
              summary.peakRssBytes,
              summary.batchMemoryBytes ?? null,
              summary.cpuUserMs,
              summary.cpuSystemMs,
              summary.outputPath,
              summary.outputSha256,
              JSON.stringify(summary.errors),
              JSON.stringify(summary.units ?? []),
              batchId,
            );
          if (finished.changes !== 1) {
            throw new StoreError('invalid', `batch ${batchId} is no longer being written: it cannot commit`);
          }
          const shadow = summary.shadow ? storeShadow(batchId, summary.shadow, rowsValid) : null;
          event = audit.appendInTransaction({
            actor: meta.actor,
            action: summary.status === 'completed' ? 'batch.scored' : `batch.${summary.status}`,
            subject: `batch:${batchId}`,
            details: {
              file: meta.fileName,
              sha256: meta.fileSha256,
              rowsRead: summary.rowsRead,
              rowsValid,
              rowsRejected: summary.rowsRejected,
              counts,
              modelVersion: meta.modelVersion,
              ...(summary.units && summary.units.length > 0 ? { units: summary.units } : {}),
              ...(shadow ? { shadow } : {}),
              ...summary.auditDetails,
            },
          });
          inTransaction?.(batchId);
          db.exec('COMMIT');
          held(performance.now() - lockedAt);
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          close();
          audit.dropHeldTrail();
          discard();
          throw error;
        }
        close();
        const record = getBatch(batchId) as BatchRecord;
        audit.releaseTrail([{ type: 'batch', ...batchTrailFields(record) }, eventTrailLine(event)]);
        return record;
      },
      rollback,
    };
  };

  return {
    begin,
    abandonOpenBatch() {
      if (activeBatch === null) return;
      if (db.inTransaction) db.exec('ROLLBACK');
      const abandoned = activeBatch;
      activeBatch = null;
      try {
        discardWritingBatch(db, abandoned);
      } catch {
        // Left 'running' for recovery once this process has ended.
      }
    },
  };
}

function batchTrailFields(b: BatchRecord): Record<string, unknown> {
  return {
    batchId: b.id,
    at: b.finishedAt,
    file: b.fileName,
    sha256: b.fileSha256,
    status: b.status,
    source: b.source,
    actor: b.actor,
    modelVersion: b.modelVersion,
    threshold: b.threshold,
    rowsRead: b.rowsRead,
    rowsValid: b.rowsValid,
    rowsRejected: b.rowsRejected,
    rowsWithWarnings: b.rowsWithWarnings,
    rejectedByRule: b.rejectedByRule,
    counts: b.counts,
    recommended: b.recommended,
    retryAttempts: b.retryAttempts,
    durationMs: b.durationMs,
    rowsPerSecond: b.rowsPerSecond,
    peakRssBytes: b.peakRssBytes,
    cpuUserMs: b.cpuUserMs,
    cpuSystemMs: b.cpuSystemMs,
    output: b.outputPath,
    errors: b.errors,
    units: b.units,
  };
}
