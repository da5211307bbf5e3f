import type { AuditEvent } from './audit-log';
import type { BatchCommitSummary, BatchMeta, BatchRecord, BatchWriter, PredictionChunk } from './batch-repository';
import type { SqliteDatabase, SqliteStatement } from './database';
import { categoryCode } from './risk-category-code';
import { json } from './row-values';
import { eventTrailLine, type SqliteAuditLog } from './sqlite-audit-log';
import type { PredictionInputs } from './sqlite-prediction-inputs';
import { StoreError } from './store-error';

const PREDICTION_COLUMNS = ['batch_id', 'row_index', 'line', 'patient_id', 'score', 'category', 'recommendation'];
const PARAMS_PER_ROW = PREDICTION_COLUMNS.length;
/** Rows per multi-row INSERT: one statement call per 64 rows costs far less than 64 calls. */
const ROWS_PER_INSERT = 64;
const ISSUE_PARAMS = 9;

interface SqliteBatchWriters {
  begin(meta: BatchMeta): BatchWriter;
  /** Rolls back the batch being written on this connection, if any (the connection is closing). */
  abandonOpenBatch(): void;
}

/**
 * Writes batches: one transaction per batch, from begin() to commit(), holding the write lock throughout.
 * At most one batch is open per connection.
 */
export function createSqliteBatchWriters(
  db: SqliteDatabase,
  deps: {
    audit: SqliteAuditLog;
    inputs: PredictionInputs;
    getBatch: (batchId: number) => BatchRecord | null;
    iso: () => string;
  },
): SqliteBatchWriters {
  const { audit, inputs, getBatch, iso } = deps;
  let activeBatch: number | null = null;

  const rowPlaceholders = `(${new Array(PARAMS_PER_ROW).fill('?').join(',')})`;
  const insertSql = `INSERT INTO predictions (${PREDICTION_COLUMNS.join(',')}) VALUES `;
  const insertRows = (rows: number) => db.prepare(insertSql + new Array(rows).fill(rowPlaceholders).join(','));
  const insertMany = insertRows(ROWS_PER_INSERT);
  /** One statement per tail length (a chunk's last rows % ROWS_PER_INSERT), prepared when first needed. */
  const insertTail: { statement: SqliteStatement; args: unknown[] }[] = [];
  const issueSql =
    'INSERT INTO rejected_rows (batch_id, seq, line, patient_id, rule, column_name, value, message, severity) VALUES ';
  const issuePlaceholders = `(${new Array(ISSUE_PARAMS).fill('?').join(', ')})`;
  const insertIssue = db.prepare(issueSql + issuePlaceholders);
  // A large batch can list many warnings: 64 a statement, as the predictions.
  const insertIssues = db.prepare(issueSql + new Array(ROWS_PER_INSERT).fill(issuePlaceholders).join(', '));

  const begin = (meta: BatchMeta): BatchWriter => {
    if (activeBatch !== null) {
      throw new StoreError('batch-active', `batch ${activeBatch} is still being written on this connection`);
    }
    const startedAt = meta.startedAt ?? iso();
    db.exec('BEGIN IMMEDIATE');
    let batchId: number;
    try {
      const info = db
        .prepare(
          `INSERT INTO batches (file_name, file_path, file_sha256, file_bytes, source, actor, status, model_version,
             model_dir, threshold, risk_cuts, prediction_date, started_at)
           VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
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
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    activeBatch = batchId;
    audit.holdTrail();
    let open = true;
    /** Set when addPredictions failed part-way: some of that chunk's rows may be in, so the batch must not commit. */
    let failed: string | null = null;
    let rowIndex = 0;
    let issueSeq = 0;
    const counts = { High: 0, Medium: 0, Low: 0 };
    let recommended = 0;
    const args: unknown[] = new Array(ROWS_PER_INSERT * PARAMS_PER_ROW);

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
    };
    const rollback = () => {
      if (!open) return;
      if (db.inTransaction) db.exec('ROLLBACK');
      close();
      audit.dropHeldTrail();
    };
    const insertChunk = (chunk: PredictionChunk) => {
      const n = chunk.table.rowCount;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) fill(args, j * PARAMS_PER_ROW, chunk, i + j);
        insertMany.run(args);
      }
      const tail = n - i;
      if (tail > 0) {
        insertTail[tail] ??= { statement: insertRows(tail), args: new Array(tail * PARAMS_PER_ROW) };
        const { statement, args: tailArgs } = insertTail[tail];
        for (let j = 0; j < tail; j++) fill(tailArgs, j * PARAMS_PER_ROW, chunk, i + j);
        statement.run(tailArgs);
      }
      inputs.write(batchId, rowIndex, chunk.table);
      rowIndex += n;
    };

    return {
      batchId,
      addPredictions(chunk) {
        ensureOpen();
        try {
          insertChunk(chunk);
        } catch (error) {
          failed = (error as Error).message;
          throw error;
        }
      },
      addRejected(rows) {
        ensureOpen();
        let i = 0;
        const many: unknown[] = new Array(ROWS_PER_INSERT * ISSUE_PARAMS);
        for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
          for (let j = 0; j < ROWS_PER_INSERT; j++) {
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
      },
      commit(summary: BatchCommitSummary) {
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
        try {
          db.prepare(
            `UPDATE batches SET status = ?, finished_at = ?, duration_ms = ?, rows_read = ?, rows_valid = ?,
               rows_rejected = ?, rows_with_warnings = ?, rejected_by_rule = ?, warnings_by_rule = ?, count_high = ?,
               count_medium = ?, count_low = ?, count_recommended = ?, retry_attempts = ?, rows_per_second = ?,
               peak_rss_bytes = ?, cpu_user_ms = ?, cpu_system_ms = ?, output_path = ?, output_sha256 = ?, errors = ?
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
            summary.cpuUserMs,
            summary.cpuSystemMs,
            summary.outputPath,
            summary.outputSha256,
            JSON.stringify(summary.errors),
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
              ...summary.auditDetails,
            },
          });
          db.exec('COMMIT');
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
      audit.dropHeldTrail();
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
  };
}
