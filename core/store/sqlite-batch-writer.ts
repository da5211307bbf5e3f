import { FEATURE_COLUMNS } from '../schema/columns';
import type { AuditEvent } from './audit-log';
import type { BatchCommitSummary, BatchMeta, BatchRecord, BatchWriter, PredictionChunk } from './batch-repository';
import type { SqliteDatabase, SqliteStatement } from './database';
import { encodeInputBlob } from './input-blob';
import { categoryCode } from './risk-category-code';
import { json } from './row-values';
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
/** Staged rows carry no batch id: it is assigned when the batch commits. */
const STAGED_PARAMS = PREDICTION_COLUMNS.length - 1;
/** Rows per multi-row INSERT: one statement call per 64 rows costs far less than 64 calls. */
const ROWS_PER_INSERT = 64;
const ISSUE_PARAMS = 8;

interface SqliteBatchWriters {
  begin(meta: BatchMeta): BatchWriter;
  /** Rolls back the batch being written on this connection, if any (the connection is closing). */
  abandonOpenBatch(): void;
}

/**
 * Writes batches. Rows are staged in TEMP tables (their own file: staging takes no lock on the database), and
 * commit() moves them into the database in ONE short write transaction, so that a long parse never holds the
 * write lock other processes wait for. The duplicate-file check runs inside that transaction, so that two
 * processes scoring the same file cannot both commit. At most one batch is open per connection.
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

  db.exec(`CREATE TEMP TABLE IF NOT EXISTS staged_predictions (row_index INTEGER PRIMARY KEY, line, patient_id,
             score, category, recommendation);
           CREATE TEMP TABLE IF NOT EXISTS staged_inputs (first_row INTEGER PRIMARY KEY, row_count, inputs);
           CREATE TEMP TABLE IF NOT EXISTS staged_issues (seq INTEGER PRIMARY KEY, line, patient_id, rule,
             column_name, value, message, severity);`);
  const clearStaged = () =>
    db.exec('DELETE FROM temp.staged_predictions; DELETE FROM temp.staged_inputs; DELETE FROM temp.staged_issues;');
  const rowPlaceholders = `(${new Array(STAGED_PARAMS).fill('?').join(',')})`;
  const insertSql = `INSERT INTO temp.staged_predictions (${PREDICTION_COLUMNS.slice(1).join(',')}) VALUES `;
  const insertRows = (rows: number) => db.prepare(insertSql + new Array(rows).fill(rowPlaceholders).join(','));
  const insertMany = insertRows(ROWS_PER_INSERT);
  /** One statement per tail length (a chunk's last rows % ROWS_PER_INSERT), prepared when first needed. */
  const insertTail: { statement: SqliteStatement; args: unknown[] }[] = [];
  const stageInputs = db.prepare('INSERT INTO temp.staged_inputs (first_row, row_count, inputs) VALUES (?, ?, ?)');
  const issueSql =
    'INSERT INTO temp.staged_issues (seq, line, patient_id, rule, column_name, value, message, severity) VALUES ';
  const issuePlaceholders = `(${new Array(ISSUE_PARAMS).fill('?').join(', ')})`;
  const insertIssue = db.prepare(issueSql + issuePlaceholders);
  // A large batch can list many warnings: 64 a statement, as the predictions.
  const insertIssues = db.prepare(issueSql + new Array(ROWS_PER_INSERT).fill(issuePlaceholders).join(', '));
  const nextId = db.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM batches');
  const insertBatch = db.prepare(
    `INSERT INTO batches (file_name, file_path, file_sha256, file_bytes, source, actor, status, model_version,
       model_dir, threshold, risk_cuts, prediction_date, started_at)
     VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
  );
  const moveStaged = [
    db.prepare(
      `INSERT INTO predictions (${PREDICTION_COLUMNS.join(',')})
       SELECT ?, ${PREDICTION_COLUMNS.slice(1).join(',')} FROM temp.staged_predictions ORDER BY row_index`,
    ),
    db.prepare(
      `INSERT INTO prediction_inputs (batch_id, first_row, row_count, inputs)
       SELECT ?, first_row, row_count, inputs FROM temp.staged_inputs ORDER BY first_row`,
    ),
    db.prepare(
      `INSERT INTO rejected_rows (batch_id, seq, line, patient_id, rule, column_name, value, message, severity)
       SELECT ?, seq, line, patient_id, rule, column_name, value, message, severity FROM temp.staged_issues
       ORDER BY seq`,
    ),
  ];
  /** Staging writes only the temp database; grouping a chunk's inserts in one transaction makes them cheap. */
  const staging = (fn: () => void) => {
    db.exec('BEGIN');
    try {
      fn();
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  };

  const begin = (meta: BatchMeta): BatchWriter => {
    if (activeBatch !== null) {
      throw new StoreError('batch-active', `batch ${activeBatch} is still being written on this connection`);
    }
    const startedAt = meta.startedAt ?? iso();
    clearStaged();
    // The id this batch is expected to get; the one it gets is known at commit.
    let batchId = (nextId.get() as { id: number }).id;
    activeBatch = batchId;
    let open = true;
    /** Set when addPredictions failed part-way: some of that chunk's rows may be in, so the batch must not commit. */
    let failed: string | null = null;
    let rowIndex = 0;
    let issueSeq = 0;
    const counts = { High: 0, Medium: 0, Low: 0 };
    let recommended = 0;
    const args: unknown[] = new Array(ROWS_PER_INSERT * STAGED_PARAMS);
    let writeLockMs = 0;

    const ensureOpen = () => {
      if (!open) throw new StoreError('batch-closed', `batch ${batchId} is already committed or rolled back`);
    };
    const fill = (target: unknown[], offset: number, chunk: PredictionChunk, i: number) => {
      const t = chunk.table;
      target[offset] = rowIndex + i;
      target[offset + 1] = t.lineNumbers[i];
      target[offset + 2] = t.ids[i];
      target[offset + 3] = chunk.scores[i];
      const category = chunk.categories[i];
      target[offset + 4] = categoryCode(category);
      const rec = chunk.recommendations[i] ? 1 : 0;
      target[offset + 5] = rec;
      counts[category]++;
      recommended += rec;
    };
    const close = () => {
      open = false;
      activeBatch = null;
      clearStaged();
    };
    const rollback = () => {
      if (!open) return;
      if (db.inTransaction) db.exec('ROLLBACK');
      close();
    };
    const insertChunk = (chunk: PredictionChunk) => {
      const n = chunk.table.rowCount;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) fill(args, j * STAGED_PARAMS, chunk, i + j);
        insertMany.run(args);
      }
      const tail = n - i;
      if (tail > 0) {
        insertTail[tail] ??= { statement: insertRows(tail), args: new Array(tail * STAGED_PARAMS) };
        const { statement, args: tailArgs } = insertTail[tail];
        for (let j = 0; j < tail; j++) fill(tailArgs, j * STAGED_PARAMS, chunk, i + j);
        statement.run(tailArgs);
      }
      const columns = FEATURE_COLUMNS.map((f) => chunk.table.features[f]);
      for (let s = 0; s < n; s += INPUT_BLOB_ROWS) {
        const count = Math.min(INPUT_BLOB_ROWS, n - s);
        stageInputs.run(rowIndex + s, count, encodeInputBlob(columns, s, count));
      }
      rowIndex += n;
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
        try {
          staging(() => insertChunk(chunk));
        } catch (error) {
          failed = (error as Error).message;
          throw error;
        }
      },
      addRejected(rows) {
        ensureOpen();
        staging(() => {
          let i = 0;
          const many: unknown[] = new Array(ROWS_PER_INSERT * ISSUE_PARAMS);
          for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
            for (let j = 0; j < ROWS_PER_INSERT; j++) {
              const r = rows[i + j];
              const at = j * ISSUE_PARAMS;
              many[at] = issueSeq++;
              many[at + 1] = r.line;
              many[at + 2] = r.patientId;
              many[at + 3] = r.rule;
              many[at + 4] = r.column;
              many[at + 5] = r.value;
              many[at + 6] = r.message;
              many[at + 7] = r.severity;
            }
            insertIssues.run(many);
          }
          for (; i < rows.length; i++) {
            const r = rows[i];
            insertIssue.run(issueSeq++, r.line, r.patientId, r.rule, r.column, r.value, r.message, r.severity);
          }
        });
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
          );
          batchId = Number(info.lastInsertRowid);
          for (const move of moveStaged) move.run(batchId);
          audit.holdTrail();
          db.prepare(
            `UPDATE batches SET status = ?, finished_at = ?, duration_ms = ?, rows_read = ?, rows_valid = ?,
               rows_rejected = ?, rows_with_warnings = ?, rejected_by_rule = ?, warnings_by_rule = ?, count_high = ?,
               count_medium = ?, count_low = ?, count_recommended = ?, retry_attempts = ?, rows_per_second = ?,
               peak_rss_bytes = ?, batch_memory_bytes = ?, cpu_user_ms = ?, cpu_system_ms = ?, output_path = ?,
               output_sha256 = ?, errors = ?, units = ?
             WHERE id = ?`,
          ).run(
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
              ...summary.auditDetails,
            },
          });
          inTransaction?.(batchId);
          db.exec('COMMIT');
          writeLockMs = performance.now() - lockedAt;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          close();
          audit.dropHeldTrail();
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
      if (activeBatch !== null && db.inTransaction) db.exec('ROLLBACK');
      activeBatch = null;
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
