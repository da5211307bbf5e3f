import type { RiskCategory } from '../api/outputs';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns } from '../table/patient-table';
import {
  type BatchListOptions,
  type BatchRecord,
  type BatchStore,
  mostRowsWarned,
  type PredictionQuery,
  type PredictionRecord,
  type StoredPredictionChunk,
  type StoredRowIssue,
} from './batch-repository';
import type { SqliteDatabase } from './database';
import { categoryCode, categoryOf } from './risk-category-code';
import { num, parseJson, type Row, str } from './row-values';
import type { SqliteAuditLog } from './sqlite-audit-log';
import { createSqliteBatchWriters, WRITING_STATUS } from './sqlite-batch-writer';
import type { DecodedInputs, PredictionInputs } from './sqlite-prediction-inputs';

interface SqliteBatchStore extends BatchStore {
  /** Rolls back the batch being written on this connection, if any (the connection is closing). */
  abandonOpenBatch(): void;
}

/** Every batch but one still being written: a batch is seen whole, once committed, or not at all. */
const BATCH_SELECT = `SELECT b.*, d.dataset_drift FROM batches b LEFT JOIN drift_results d ON d.batch_id = b.id
  WHERE b.status != '${WRITING_STATUS}'`;

export function createSqliteBatchStore(
  db: SqliteDatabase,
  deps: { audit: SqliteAuditLog; inputs: PredictionInputs; iso: () => string },
): SqliteBatchStore {
  const { inputs } = deps;
  const getBatch = (id: number): BatchRecord | null => {
    const r = db.prepare(`${BATCH_SELECT} AND b.id = ?`).get(id) as Row | undefined;
    return r ? toBatch(r) : null;
  };
  const findBySha256 = (sha256: string): BatchRecord[] =>
    (db.prepare(`${BATCH_SELECT} AND b.file_sha256 = ? ORDER BY b.id`).all(sha256) as Row[]).map(toBatch);
  const writers = createSqliteBatchWriters(db, { ...deps, getBatch, findBySha256 });
  const committed = db.prepare(`SELECT 1 FROM batches WHERE id = ? AND status != '${WRITING_STATUS}'`);
  /** The rows of a batch still being written are not shown, as the batch itself is not. */
  const isCommitted = (batchId: number) => committed.get(batchId) !== undefined;
  const toPredictions = (rows: Row[]): PredictionRecord[] => {
    const read = inputs.reader();
    return rows.map((r) => toPrediction(r, read.inputsOf(r.batch_id as number, r.row_index as number)));
  };

  return {
    begin: writers.begin,
    abandonOpenBatch: writers.abandonOpenBatch,
    get: getBatch,
    list(opts: BatchListOptions = {}) {
      const rows = (
        opts.status
          ? db
              .prepare(`${BATCH_SELECT} AND b.status = ? ORDER BY b.id DESC LIMIT ? OFFSET ?`)
              .all(opts.status, opts.limit ?? -1, opts.offset ?? 0)
          : db.prepare(`${BATCH_SELECT} ORDER BY b.id DESC LIMIT ? OFFSET ?`).all(opts.limit ?? -1, opts.offset ?? 0)
      ) as Row[];
      return rows.map(toBatch);
    },
    findBySha256,
    predictions(batchId, query: PredictionQuery = {}) {
      if (!isCommitted(batchId)) return { total: 0, rows: [] };
      const where = ['batch_id = ?'];
      const params: unknown[] = [batchId];
      if (query.category) {
        where.push('category = ?');
        params.push(categoryCode(query.category));
      }
      if (query.recommendedOnly) where.push('recommendation = 1');
      if (query.search) {
        where.push("patient_id LIKE ? ESCAPE '\\'");
        params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      const dir = query.descending ? 'DESC' : 'ASC';
      const order =
        query.orderBy === 'score'
          ? `score ${dir}, row_index`
          : query.orderBy === 'patient_id'
            ? `patient_id ${dir}, row_index`
            : query.orderBy === 'line'
              ? `line ${dir}`
              : query.orderBy === 'category'
                ? `category ${dir}, score ${dir}, row_index` // codes order Low < Medium < High
                : `row_index ${dir}`;
      const whereSql = where.join(' AND ');
      const total = (db.prepare(`SELECT count(*) AS n FROM predictions WHERE ${whereSql}`).get(...params) as Row)
        .n as number;
      const rows = db
        .prepare(`SELECT * FROM predictions WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params, query.limit ?? 100, query.offset ?? 0) as Row[];
      return { total, rows: toPredictions(rows) };
    },
    prediction(batchId, rowIndex) {
      if (!isCommitted(batchId)) return null;
      const r = db.prepare('SELECT * FROM predictions WHERE batch_id = ? AND row_index = ?').get(batchId, rowIndex) as
        | Row
        | undefined;
      return r ? toPredictions([r])[0] : null;
    },
    predictionsAt(batchId, rowIndexes) {
      if (!isCommitted(batchId)) return rowIndexes.map(() => null);
      const stmt = db.prepare('SELECT * FROM predictions WHERE batch_id = ? AND row_index = ?');
      const read = inputs.reader();
      return rowIndexes.map((rowIndex) => {
        const r = stmt.get(batchId, rowIndex) as Row | undefined;
        return r ? toPrediction(r, read.inputsOf(batchId, rowIndex)) : null;
      });
    },
    *iteratePredictions(batchId, chunkSize = 65_536) {
      if (!isCommitted(batchId)) return;
      const stmt = db
        .prepare(
          `SELECT row_index, line, patient_id, score, category, recommendation FROM predictions
           WHERE batch_id = ? AND row_index >= ? ORDER BY row_index LIMIT ?`,
        )
        .raw(true);
      // The blob holding the current rows, decoded whole; it usually spans the boundary between two chunks.
      let decoded: DecodedInputs | null = null;
      let start = 0;
      for (;;) {
        // all(), not iterate(): the caller may use the connection between chunks (an open iterator forbids that).
        const rows = stmt.all(batchId, start, chunkSize) as unknown[][];
        if (rows.length === 0) return;
        const n = rows.length;
        const features = emptyFeatureColumns(n);
        const featureColumns = FEATURE_COLUMNS.map((f) => features[f]);
        const ids: string[] = new Array(n);
        const lineNumbers = new Uint32Array(n);
        const scores = new Float64Array(n);
        const categories: RiskCategory[] = new Array(n);
        const recommendations = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const r = rows[i];
          lineNumbers[i] = r[1] as number;
          ids[i] = r[2] as string;
          scores[i] = r[3] as number;
          categories[i] = categoryOf(r[4]);
          recommendations[i] = r[5] as number;
        }
        // Inputs: copy each run of consecutive rows that one blob holds.
        for (let i = 0; i < n; ) {
          const rowIndex = rows[i][0] as number;
          if (!decoded || rowIndex < decoded.firstRow || rowIndex >= decoded.firstRow + decoded.rowCount) {
            decoded = inputs.decodedAt(batchId, rowIndex);
          }
          const from = rowIndex - decoded.firstRow;
          const available = decoded.rowCount - from;
          let run = 1;
          while (run < available && i + run < n && rows[i + run][0] === rowIndex + run) run++;
          for (let c = 0; c < featureColumns.length; c++)
            featureColumns[c].set(decoded.columns[c].subarray(from, from + run), i);
          i += run;
        }
        const chunk: StoredPredictionChunk = {
          rowIndexStart: start,
          table: { rowCount: n, ids, lineNumbers, features, outcome: null },
          scores,
          categories,
          recommendations,
        };
        yield chunk;
        start = (rows[n - 1][0] as number) + 1;
      }
    },
    issues(batchId, opts = {}) {
      if (!isCommitted(batchId)) return [];
      const rows = (
        opts.severity
          ? db
              .prepare('SELECT * FROM rejected_rows WHERE batch_id = ? AND severity = ? ORDER BY seq LIMIT ? OFFSET ?')
              .all(batchId, opts.severity, opts.limit ?? -1, opts.offset ?? 0)
          : db
              .prepare('SELECT * FROM rejected_rows WHERE batch_id = ? ORDER BY seq LIMIT ? OFFSET ?')
              .all(batchId, opts.limit ?? -1, opts.offset ?? 0)
      ) as Row[];
      return rows.map(
        (r): StoredRowIssue => ({
          line: num(r.line),
          patientId: str(r.patient_id),
          rule: r.rule as string,
          column: str(r.column_name),
          value: str(r.value),
          message: r.message as string,
          severity: r.severity as StoredRowIssue['severity'],
        }),
      );
    },
    latestPredictionFor(patientId, onOrBefore) {
      const r = db
        .prepare(
          `SELECT p.*, b.model_version, b.prediction_date FROM predictions p JOIN batches b ON b.id = p.batch_id
           WHERE p.patient_id = ? AND b.status = 'completed' AND (? IS NULL OR b.prediction_date <= ?)
           ORDER BY b.prediction_date DESC, p.batch_id DESC, p.row_index DESC LIMIT 1`,
        )
        .get(patientId, onOrBefore ?? null, onOrBefore ? endOfDay(onOrBefore) : null) as Row | undefined;
      return r
        ? { ...toPredictions([r])[0], modelVersion: str(r.model_version), predictionDate: r.prediction_date as string }
        : null;
    },
  };
}

function toBatch(r: Row): BatchRecord {
  const drift = r.dataset_drift;
  return {
    id: r.id as number,
    fileName: r.file_name as string,
    purgedAt: str(r.purged_at),
    filePath: str(r.file_path),
    fileSha256: r.file_sha256 as string,
    fileBytes: num(r.file_bytes),
    source: r.source as BatchRecord['source'],
    actor: r.actor as string,
    status: r.status as BatchRecord['status'],
    modelVersion: str(r.model_version),
    modelDir: str(r.model_dir),
    threshold: num(r.threshold),
    riskCuts: parseJson(r.risk_cuts, null),
    predictionDate: r.prediction_date as string,
    startedAt: r.started_at as string,
    finishedAt: str(r.finished_at),
    durationMs: num(r.duration_ms),
    rowsRead: r.rows_read as number,
    rowsValid: r.rows_valid as number,
    rowsRejected: r.rows_rejected as number,
    rowsWithWarnings: r.rows_with_warnings as number,
    rejectedByRule: parseJson(r.rejected_by_rule, {}),
    warningsByRule: parseJson(r.warnings_by_rule, {}),
    counts: { High: r.count_high as number, Medium: r.count_medium as number, Low: r.count_low as number },
    recommended: r.count_recommended as number,
    retryAttempts: r.retry_attempts as number,
    rowsPerSecond: num(r.rows_per_second),
    peakRssBytes: num(r.peak_rss_bytes),
    batchMemoryBytes: num(r.batch_memory_bytes),
    cpuUserMs: num(r.cpu_user_ms),
    cpuSystemMs: num(r.cpu_system_ms),
    outputPath: str(r.output_path),
    outputSha256: str(r.output_sha256),
    errors: parseJson(r.errors, []),
    datasetDrift: drift === null || drift === undefined ? null : drift === 1,
    units: parseJson(r.units, []),
    warningsOnMostRows: mostRowsWarned(r.rows_with_warnings as number, r.rows_read as number),
  };
}

function toPrediction(r: Row, inputs: Record<string, number | null>): PredictionRecord {
  return {
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    line: r.line as number,
    patientId: r.patient_id as string,
    inputs,
    score: r.score as number,
    category: categoryOf(r.category),
    recommendation: (r.recommendation as number) === 1 ? 1 : 0,
  };
}

/** A bare date compares as the whole day: '2026-11-08' covers predictions made at any time that day. */
function endOfDay(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59.999Z` : date;
}
