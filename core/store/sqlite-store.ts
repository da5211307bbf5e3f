import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns } from '../table/patient-table';
import { type ChainRow, canonicalJson, GENESIS_HASH, hashEvent, verifyChain } from './audit-chain';
import { appendTrail, readTrail, type TrailLine } from './audit-trail';
import { decodeInputBlob, encodeInputBlob, type InputBlobLayout, inputBlobLayout, readInputValue } from './input-blob';
import { MIGRATIONS } from './migrations';
import {
  type AlertInput,
  type AlertRecord,
  type AlertStore,
  type AuditEvent,
  type AuditInput,
  type AuditListOptions,
  type AuditLog,
  type BatchListOptions,
  type BatchMeta,
  type BatchRecord,
  type BatchStore,
  type BatchSummary,
  type BatchWriter,
  type DriftRecord,
  type DriftStore,
  type ExperimentStore,
  type LabelStore,
  type MatchedLabel,
  type OpenStoreOptions,
  type PredictionChunk,
  type PredictionQuery,
  type PredictionRecord,
  type ReviewRecord,
  type ReviewStore,
  type RiskCategory,
  type RowIssue,
  type RunRecord,
  type ScryptHash,
  type Store,
  type StoredPredictionChunk,
  StoreError,
  type TrialRecord,
  type UserRecord,
  type UserRole,
  type UserStore,
} from './store-types';

/**
 * The only better-sqlite3 import. WAL journal, foreign keys on, versioned migrations (migrations.ts).
 * synchronous=NORMAL: in WAL mode a power cut can lose the last commits but never corrupts the database,
 * and a killed process loses nothing that was committed.
 */

type Row = Record<string, unknown>;
type Db = Database.Database;

/**
 * `predictions` holds one lean row per patient (migration 2); the validated inputs are in `prediction_inputs`, one
 * columnar blob (input-blob.ts, columns in FEATURE_COLUMNS order) per run of at most INPUT_BLOB_ROWS rows.
 */
const PREDICTION_COLUMNS = ['batch_id', 'row_index', 'line', 'patient_id', 'score', 'category', 'recommendation'];
const PARAMS_PER_ROW = PREDICTION_COLUMNS.length;
/** Rows per multi-row INSERT: one statement call per 64 rows costs far less than 64 calls (measured). */
const ROWS_PER_INSERT = 64;
/** Bounds the blob a single-row lookup reads (8192 rows: at most 512 KiB); a 6,000-row chunk is one blob. */
const INPUT_BLOB_ROWS = 8192;
const INPUT_COLUMNS = FEATURE_COLUMNS.length;
const AGE_COLUMN = FEATURE_COLUMNS.indexOf('Age');

/** The one mapping between `predictions.category` codes and risk categories. */
const CATEGORY_BY_CODE: readonly RiskCategory[] = ['Low', 'Medium', 'High'];
function categoryCode(category: RiskCategory): number {
  switch (category) {
    case 'Low':
      return 0;
    case 'Medium':
      return 1;
    case 'High':
      return 2;
    default:
      throw new StoreError('invalid', `unknown risk category ${JSON.stringify(category)}`);
  }
}
function categoryOf(code: unknown): RiskCategory {
  const category = CATEGORY_BY_CODE[code as number];
  if (category === undefined) throw new StoreError('invalid', `unknown risk category code ${String(code)}`);
  return category;
}

export function defaultAuditTrailPath(dbPath: string): string | null {
  if (dbPath === ':memory:' || dbPath === '') return null;
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.audit.jsonl`);
}

function json(value: unknown): string {
  return canonicalJson(value ?? {});
}
function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  return JSON.parse(text) as T;
}
function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function migrate(db: Db, now: () => Date, upTo?: number): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const current = (db.prepare('SELECT max(version) AS v FROM schema_version').get() as Row).v as number | null;
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  if ((current ?? 0) > latest) {
    throw new StoreError(
      'schema-too-new',
      `the database schema is version ${current}, newer than this app supports (${latest}); update the app`,
    );
  }
  const target = upTo ?? latest;
  if ((current ?? 0) >= target) return current ?? 0;
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  const applied = db.prepare('SELECT 1 FROM schema_version WHERE version = ?');
  // Off while migrating (it cannot change inside a transaction): rebuilding a table must not cascade deletes.
  // Every foreign key is checked before each migration commits instead.
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of MIGRATIONS) {
      if (migration.version <= (current ?? 0) || migration.version > target) continue;
      db.transaction(() => {
        // Another process may have applied it while this one waited for the write lock.
        if (applied.get(migration.version)) return;
        db.exec(migration.sql);
        migration.after?.(db);
        const broken = db.pragma('foreign_key_check') as Row[];
        if (broken.length > 0) {
          throw new Error(
            `migration ${migration.version} would break ${broken.length} foreign keys (first: ${JSON.stringify(broken[0])})`,
          );
        }
        record.run(migration.version, migration.name, now().toISOString());
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return target;
}

export function openStore(dbPath: string, options: OpenStoreOptions = {}): Store {
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const db = new Database(dbPath);
  // 16 KiB pages: storing 1M predictions costs ~13% less CPU than at the default 4 KiB (measured). It only takes
  // effect on a new database (before WAL and the first table); an existing one keeps its page size.
  db.pragma('page_size = 16384');
  if (dbPath !== ':memory:' && dbPath !== '') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A write waits up to 30 s for another connection's write to finish (the CLI from cron and the desktop app may
  // share a database; a batch holds the write lock for its whole transaction, ~3 s per 1M rows) before failing.
  db.pragma('busy_timeout = 30000');
  // A bounded page cache (default 16 MiB): 8, 16 and 32 MiB insert a 1M-row batch at the same CPU cost (measured).
  db.pragma(`cache_size = -${Math.round((options.cacheSizeMb ?? 16) * 1024)}`);
  const schemaVersion = migrate(db, now);
  const trailPath = options.auditTrailPath === undefined ? defaultAuditTrailPath(dbPath) : options.auditTrailPath;

  /** Trail lines held back while a batch transaction is open; written only once it commits. */
  let pendingTrail: TrailLine[] = [];
  let activeBatch: number | null = null;
  const writeTrail = (lines: TrailLine[]) => {
    if (!trailPath) return;
    if (activeBatch !== null) pendingTrail.push(...lines);
    else appendTrail(trailPath, lines);
  };

  // ---------------- audit ----------------
  const lastEvent = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const insertEvent = db.prepare(
    'INSERT INTO audit_events (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const toEvent = (r: Row): AuditEvent => ({
    seq: r.seq as number,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    subject: str(r.subject),
    details: parseJson(r.details, {}),
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  });
  const appendEventInTx = (input: AuditInput): AuditEvent => {
    const last = lastEvent.get() as Row | undefined;
    const row: Omit<ChainRow, 'hash'> = {
      seq: last ? (last.seq as number) + 1 : 1,
      at: iso(),
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      details: json(input.details),
      prevHash: last ? (last.hash as string) : GENESIS_HASH,
    };
    const hash = hashEvent(row);
    insertEvent.run(row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prevHash, hash);
    return { ...row, details: parseJson(row.details, {}), hash };
  };
  const eventTrailLine = (e: AuditEvent): TrailLine => ({
    type: 'event',
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: e.details,
    prevHash: e.prevHash,
    hash: e.hash,
  });

  const audit: AuditLog = {
    trailPath,
    append(input) {
      // IMMEDIATE: read the chain head and write the next link under one write lock (other processes wait).
      const run = db.transaction(() => appendEventInTx(input));
      const event = db.inTransaction ? run() : run.immediate();
      writeTrail([eventTrailLine(event)]);
      return event;
    },
    list(opts: AuditListOptions = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (opts.afterSeq !== undefined) {
        where.push(opts.descending ? 'seq < ?' : 'seq > ?');
        params.push(opts.afterSeq);
      }
      if (opts.action !== undefined) {
        where.push('action = ?');
        params.push(opts.action);
      }
      const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${
        opts.descending ? 'DESC' : 'ASC'
      } LIMIT ?`;
      params.push(opts.limit ?? -1);
      return (db.prepare(sql).all(...params) as Row[]).map(toEvent);
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM audit_events').get() as Row).n as number;
    },
    verify() {
      const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<Row>;
      const chainRows = (function* () {
        for (const r of rows) {
          yield {
            seq: r.seq as number,
            at: r.at as string,
            actor: r.actor as string,
            action: r.action as string,
            subject: str(r.subject),
            details: r.details as string,
            prevHash: r.prev_hash as string,
            hash: r.hash as string,
          } satisfies ChainRow;
        }
      })();
      const trail = trailPath ? readTrail(trailPath) : null;
      const result = verifyChain(chainRows, trail?.eventHashes);
      if (trailPath && !trail && result.checked > 0) {
        result.problems.push({
          seq: 0,
          kind: 'deleted',
          message: `the JSONL audit trail ${trailPath} is missing, though the database holds ${result.checked} events`,
        });
        result.ok = false;
      }
      if (trail && trail.badLines.length > 0) {
        for (const line of trail.badLines) {
          result.problems.push({
            seq: 0,
            kind: 'edited',
            message: `line ${line} of the JSONL audit trail ${trailPath} is not valid JSON`,
          });
        }
        result.ok = false;
      }
      return result;
    },
  };

  // ---------------- experiments ----------------
  const toRun = (r: Row, tags: Record<string, string>): RunRecord => ({
    id: r.id as number,
    name: r.name as string,
    kind: r.kind as RunRecord['kind'],
    params: parseJson(r.params, {}),
    tags,
    dataSha256: r.data_sha256 as string,
    status: r.status as RunRecord['status'],
    startedAt: r.started_at as string,
    finishedAt: str(r.finished_at),
    artifactPaths: parseJson(r.artifact_paths, []),
    metrics: parseJson(r.metrics, {}),
  });
  const tagsOf = (runId: number): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const t of db.prepare('SELECT key, value FROM run_tags WHERE run_id = ? ORDER BY key').all(runId) as Row[]) {
      out[t.key as string] = t.value as string;
    }
    return out;
  };
  const insertMetric = db.prepare(
    'INSERT INTO run_metrics (run_id, key, step, value, logged_at) VALUES (?, ?, ?, ?, ?)',
  );
  const requireRun = (runId: number) => {
    if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) {
      throw new StoreError('not-found', `experiment run ${runId} does not exist`);
    }
  };
  const experiments: ExperimentStore = {
    startRun(input) {
      return db.transaction(() => {
        const info = db
          .prepare(
            "INSERT INTO runs (name, kind, params, data_sha256, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
          )
          .run(input.name, input.kind, json(input.params), input.dataSha256, iso());
        const id = Number(info.lastInsertRowid);
        const tag = db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
        for (const [k, v] of Object.entries(input.tags)) tag.run(id, k, String(v));
        return id;
      })();
    },
    logMetric(runId, key, value, step) {
      requireRun(runId);
      insertMetric.run(runId, key, step ?? null, Number.isFinite(value) ? value : null, iso());
    },
    recordTrial(runId, trial) {
      requireRun(runId);
      db.prepare(
        `INSERT INTO trials (run_id, number, params, value, state, metrics, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, number) DO UPDATE SET params = excluded.params, value = excluded.value,
           state = excluded.state, metrics = excluded.metrics, recorded_at = excluded.recorded_at`,
      ).run(
        runId,
        trial.number,
        json(trial.params),
        trial.value !== null && Number.isFinite(trial.value) ? trial.value : null,
        trial.state,
        json(trial.metrics),
        iso(),
      );
    },
    finishRun(runId, result) {
      const info = db
        .prepare('UPDATE runs SET status = ?, finished_at = ?, artifact_paths = ?, metrics = ? WHERE id = ?')
        .run(result.status, iso(), JSON.stringify(result.artifactPaths), json(result.metrics), runId);
      if (info.changes === 0) throw new StoreError('not-found', `experiment run ${runId} does not exist`);
    },
    getRun(runId) {
      const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row | undefined;
      return r ? toRun(r, tagsOf(runId)) : null;
    },
    listRuns() {
      return (db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as Row[]).map((r) =>
        toRun(r, tagsOf(r.id as number)),
      );
    },
    listTrials(runId) {
      return (db.prepare('SELECT * FROM trials WHERE run_id = ? ORDER BY number').all(runId) as Row[]).map(
        (r): TrialRecord => ({
          runId: r.run_id as number,
          number: r.number as number,
          params: parseJson(r.params, {}),
          value: num(r.value),
          state: r.state as TrialRecord['state'],
          metrics: parseJson(r.metrics, {}),
          recordedAt: r.recorded_at as string,
        }),
      );
    },
    listMetrics(runId, key) {
      const rows = (
        key === undefined
          ? db.prepare('SELECT * FROM run_metrics WHERE run_id = ? ORDER BY id').all(runId)
          : db.prepare('SELECT * FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY id').all(runId, key)
      ) as Row[];
      return rows.map((r) => ({
        runId: r.run_id as number,
        key: r.key as string,
        value: num(r.value),
        step: num(r.step),
        loggedAt: r.logged_at as string,
      }));
    },
  };

  // ---------------- batches ----------------
  const rowPlaceholders = `(${new Array(PARAMS_PER_ROW).fill('?').join(',')})`;
  const insertSql = `INSERT INTO predictions (${PREDICTION_COLUMNS.join(',')}) VALUES `;
  const insertRows = (rows: number) => db.prepare(insertSql + new Array(rows).fill(rowPlaceholders).join(','));
  const insertMany = insertRows(ROWS_PER_INSERT);
  /** One statement per tail length (a chunk's last rows % ROWS_PER_INSERT), prepared when first needed. */
  const insertTail: { statement: Database.Statement; args: unknown[] }[] = [];
  const insertInputs = db.prepare(
    'INSERT INTO prediction_inputs (batch_id, first_row, row_count, inputs) VALUES (?, ?, ?, ?)',
  );
  const issueSql =
    'INSERT INTO rejected_rows (batch_id, seq, line, patient_id, rule, column_name, value, message, severity) VALUES ';
  const insertIssue = db.prepare(`${issueSql}(?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // A 1M-row batch can list 100,000 warnings: 64 a statement, as the predictions (one call each cost ~2 us).
  const insertIssues = db.prepare(issueSql + new Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', '));

  const toBatch = (r: Row): BatchRecord => {
    const drift = r.dataset_drift;
    return {
      id: r.id as number,
      fileName: r.file_name as string,
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
      cpuUserMs: num(r.cpu_user_ms),
      cpuSystemMs: num(r.cpu_system_ms),
      outputPath: str(r.output_path),
      outputSha256: str(r.output_sha256),
      errors: parseJson(r.errors, []),
      datasetDrift: drift === null || drift === undefined ? null : drift === 1,
    };
  };
  const batchSelect = 'SELECT b.*, d.dataset_drift FROM batches b LEFT JOIN drift_results d ON d.batch_id = b.id';
  const getBatch = (id: number): BatchRecord | null => {
    const r = db.prepare(`${batchSelect} WHERE b.id = ?`).get(id) as Row | undefined;
    return r ? toBatch(r) : null;
  };

  // ---- stored inputs: blobs found by (batch, first_row <= row), cached per reader call ----
  interface InputChunk {
    batchId: number;
    firstRow: number;
    rowCount: number;
    blob: Buffer;
    layout: InputBlobLayout;
  }
  const findInputs = db.prepare(
    'SELECT first_row, row_count, inputs FROM prediction_inputs WHERE batch_id = ? AND first_row <= ? ORDER BY first_row DESC LIMIT 1',
  );
  const loadInputChunk = (batchId: number, rowIndex: number): InputChunk => {
    const r = findInputs.get(batchId, rowIndex) as Row | undefined;
    if (!r || rowIndex >= (r.first_row as number) + (r.row_count as number)) {
      throw new StoreError('invalid', `the stored inputs of batch ${batchId} row ${rowIndex} are missing`);
    }
    const blob = r.inputs as Buffer;
    const layout = inputBlobLayout(blob, INPUT_COLUMNS);
    if (layout.rowCount !== r.row_count) {
      throw new StoreError('invalid', `the inputs blob of batch ${batchId} at row ${r.first_row} has the wrong size`);
    }
    return { batchId, firstRow: r.first_row as number, rowCount: layout.rowCount, blob, layout };
  };
  /** Row lookups for one reader call: rows of one page or label list mostly share a few chunks. */
  const inputReader = () => {
    const cache: InputChunk[] = [];
    return (batchId: number, rowIndex: number): InputChunk => {
      for (const c of cache) {
        if (c.batchId === batchId && rowIndex >= c.firstRow && rowIndex < c.firstRow + c.rowCount) return c;
      }
      const chunk = loadInputChunk(batchId, rowIndex);
      if (cache.length >= 16) cache.shift();
      cache.push(chunk);
      return chunk;
    };
  };
  const inputsOf = (chunk: InputChunk, rowIndex: number): Record<string, number | null> => {
    const inputs: Record<string, number | null> = {};
    FEATURE_COLUMNS.forEach((f, c) => {
      const v = readInputValue(chunk.blob, chunk.layout, c, rowIndex - chunk.firstRow);
      inputs[f] = Number.isNaN(v) ? null : v;
    });
    return inputs;
  };
  const toPrediction = (r: Row, inputs: Record<string, number | null>): PredictionRecord => ({
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    line: r.line as number,
    patientId: r.patient_id as string,
    inputs,
    score: r.score as number,
    category: categoryOf(r.category),
    recommendation: (r.recommendation as number) === 1 ? 1 : 0,
  });
  const toPredictions = (rows: Row[]): PredictionRecord[] => {
    const read = inputReader();
    return rows.map((r) => {
      const batchId = r.batch_id as number;
      const rowIndex = r.row_index as number;
      return toPrediction(r, inputsOf(read(batchId, rowIndex), rowIndex));
    });
  };

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
    pendingTrail = [];
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
      pendingTrail = [];
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
      const columns = FEATURE_COLUMNS.map((f) => chunk.table.features[f]);
      for (let s = 0; s < n; s += INPUT_BLOB_ROWS) {
        const count = Math.min(INPUT_BLOB_ROWS, n - s);
        insertInputs.run(batchId, rowIndex + s, count, encodeInputBlob(columns, s, count));
      }
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
        const many: unknown[] = new Array(ROWS_PER_INSERT * 9);
        for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
          for (let j = 0; j < ROWS_PER_INSERT; j++) {
            const r = rows[i + j];
            const at = j * 9;
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
      commit(summary: BatchSummary) {
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
          event = appendEventInTx({
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
          pendingTrail = [];
          throw error;
        }
        close();
        const record = getBatch(batchId) as BatchRecord;
        const held = pendingTrail;
        pendingTrail = [];
        writeTrail([...held, { type: 'batch', ...batchTrailFields(record) }, eventTrailLine(event)]);
        return record;
      },
      rollback,
    };
  };

  const batches: BatchStore = {
    begin,
    get: getBatch,
    list(opts: BatchListOptions = {}) {
      const rows = (
        opts.status
          ? db
              .prepare(`${batchSelect} WHERE b.status = ? ORDER BY b.id DESC LIMIT ? OFFSET ?`)
              .all(opts.status, opts.limit ?? -1, opts.offset ?? 0)
          : db.prepare(`${batchSelect} ORDER BY b.id DESC LIMIT ? OFFSET ?`).all(opts.limit ?? -1, opts.offset ?? 0)
      ) as Row[];
      return rows.map(toBatch);
    },
    findBySha256(sha256) {
      return (db.prepare(`${batchSelect} WHERE b.file_sha256 = ? ORDER BY b.id`).all(sha256) as Row[]).map(toBatch);
    },
    predictions(batchId, query: PredictionQuery = {}) {
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
      const r = db.prepare('SELECT * FROM predictions WHERE batch_id = ? AND row_index = ?').get(batchId, rowIndex) as
        | Row
        | undefined;
      return r ? toPredictions([r])[0] : null;
    },
    *iteratePredictions(batchId, chunkSize = 65_536) {
      const stmt = db
        .prepare(
          `SELECT row_index, line, patient_id, score, category, recommendation FROM predictions
           WHERE batch_id = ? AND row_index >= ? ORDER BY row_index LIMIT ?`,
        )
        .raw(true);
      // The blob holding the current rows, decoded whole; it usually spans the boundary between two chunks.
      let inputs: { firstRow: number; rowCount: number; columns: Float64Array[] } | null = null;
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
          if (!inputs || rowIndex < inputs.firstRow || rowIndex >= inputs.firstRow + inputs.rowCount) {
            const chunk = loadInputChunk(batchId, rowIndex);
            inputs = { firstRow: chunk.firstRow, ...decodeInputBlob(chunk.blob, INPUT_COLUMNS) };
          }
          const from = rowIndex - inputs.firstRow;
          const available = inputs.rowCount - from;
          let run = 1;
          while (run < available && i + run < n && rows[i + run][0] === rowIndex + run) run++;
          for (let c = 0; c < INPUT_COLUMNS; c++)
            featureColumns[c].set(inputs.columns[c].subarray(from, from + run), i);
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
        (r): RowIssue => ({
          line: num(r.line),
          patientId: str(r.patient_id),
          rule: r.rule as string,
          column: str(r.column_name),
          value: str(r.value),
          message: r.message as string,
          severity: r.severity as RowIssue['severity'],
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

  // ---------------- labels ----------------
  const labels: LabelStore = {
    add(list, meta) {
      return db
        .transaction(() => {
          const find = db.prepare('SELECT outcome FROM labels WHERE patient_id = ? AND diagnosis_date = ?');
          const insert = db.prepare(
            `INSERT INTO labels (patient_id, outcome, diagnosis_date, batch_id, row_index, source_file, source_sha256,
             imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          );
          const at = iso();
          const result = { inserted: 0, unchanged: 0, conflicts: [] as ReturnType<LabelStore['add']>['conflicts'] };
          for (const l of list) {
            const date = l.diagnosisDate ?? '';
            const existing = find.get(l.patientId, date) as Row | undefined;
            if (existing) {
              if (existing.outcome === l.outcome) result.unchanged++;
              else
                result.conflicts.push({
                  patientId: l.patientId,
                  diagnosisDate: l.diagnosisDate,
                  storedOutcome: existing.outcome as 0 | 1,
                  newOutcome: l.outcome,
                });
              continue;
            }
            insert.run(
              l.patientId,
              l.outcome,
              date,
              l.batchId,
              l.rowIndex,
              meta.sourceFile,
              meta.sourceSha256,
              at,
              meta.importedBy,
            );
            result.inserted++;
          }
          return result;
        })
        .immediate();
    },
    list() {
      return (db.prepare('SELECT * FROM labels ORDER BY id').all() as Row[]).map((r) => ({
        id: r.id as number,
        patientId: r.patient_id as string,
        outcome: r.outcome as 0 | 1,
        diagnosisDate: r.diagnosis_date === '' ? null : (r.diagnosis_date as string),
        batchId: num(r.batch_id),
        rowIndex: num(r.row_index),
        sourceFile: str(r.source_file),
        importedAt: r.imported_at as string,
        importedBy: r.imported_by as string,
      }));
    },
    listMatched() {
      const rows = db
        .prepare(
          `SELECT l.id AS label_id, l.patient_id, l.outcome, l.diagnosis_date, p.batch_id, p.row_index, p.score,
             p.category, p.recommendation, b.model_version, b.threshold, b.prediction_date
           FROM labels l JOIN predictions p ON p.batch_id = l.batch_id AND p.row_index = l.row_index
           JOIN batches b ON b.id = p.batch_id ORDER BY b.prediction_date, p.batch_id, p.row_index`,
        )
        .all() as Row[];
      const read = inputReader();
      return rows.map((r): MatchedLabel => {
        const batchId = r.batch_id as number;
        const rowIndex = r.row_index as number;
        const chunk = read(batchId, rowIndex);
        const age = readInputValue(chunk.blob, chunk.layout, AGE_COLUMN, rowIndex - chunk.firstRow);
        return {
          labelId: r.label_id as number,
          patientId: r.patient_id as string,
          outcome: r.outcome as 0 | 1,
          diagnosisDate: r.diagnosis_date === '' ? null : (r.diagnosis_date as string),
          batchId: r.batch_id as number,
          rowIndex: r.row_index as number,
          score: r.score as number,
          category: categoryOf(r.category),
          recommendation: (r.recommendation as number) === 1 ? 1 : 0,
          age: Number.isNaN(age) ? null : age,
          modelVersion: str(r.model_version),
          threshold: num(r.threshold),
          predictionDate: r.prediction_date as string,
        };
      });
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM labels').get() as Row).n as number;
    },
  };

  // ---------------- drift ----------------
  const toDrift = (r: Row): DriftRecord => ({
    batchId: r.batch_id as number,
    computedAt: r.computed_at as string,
    datasetDrift: r.dataset_drift === 1,
    driftedCount: r.drifted_count as number,
    report: parseJson(r.report, null),
  });
  const drift: DriftStore = {
    save(batchId, verdict, report) {
      db.prepare(
        `INSERT INTO drift_results (batch_id, computed_at, dataset_drift, drifted_count, report) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (batch_id) DO UPDATE SET computed_at = excluded.computed_at, dataset_drift = excluded.dataset_drift,
           drifted_count = excluded.drifted_count, report = excluded.report`,
      ).run(batchId, iso(), verdict.datasetDrift ? 1 : 0, verdict.driftedCount, JSON.stringify(report));
    },
    get(batchId) {
      const r = db.prepare('SELECT * FROM drift_results WHERE batch_id = ?').get(batchId) as Row | undefined;
      return r ? toDrift(r) : null;
    },
    list(limit) {
      return (db.prepare('SELECT * FROM drift_results ORDER BY batch_id DESC LIMIT ?').all(limit ?? -1) as Row[]).map(
        toDrift,
      );
    },
  };

  // ---------------- alerts ----------------
  const toAlert = (r: Row): AlertRecord => ({
    id: r.id as number,
    kind: r.kind as string,
    week: str(r.week),
    modelVersion: str(r.model_version),
    batchId: num(r.batch_id),
    message: r.message as string,
    details: parseJson(r.details, {}),
    raisedAt: r.raised_at as string,
    acknowledgedBy: str(r.acknowledged_by),
    acknowledgedAt: str(r.acknowledged_at),
  });
  const alerts: AlertStore = {
    raise(a: AlertInput) {
      return db.transaction(() => {
        const info = db
          .prepare(
            `INSERT INTO alerts (kind, week, model_version, batch_id, message, details, raised_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(a.kind, a.week ?? null, a.modelVersion ?? null, a.batchId ?? null, a.message, json(a.details), iso());
        const r = db
          .prepare(
            `SELECT * FROM alerts WHERE kind = ? AND ifnull(week, '') = ? AND ifnull(model_version, '') = ?
               AND ifnull(batch_id, 0) = ?`,
          )
          .get(a.kind, a.week ?? '', a.modelVersion ?? '', a.batchId ?? 0) as Row;
        return { alert: toAlert(r), created: info.changes === 1 };
      })();
    },
    list(opts = {}) {
      const sql = opts.unacknowledgedOnly
        ? 'SELECT * FROM alerts WHERE acknowledged_at IS NULL ORDER BY id DESC'
        : 'SELECT * FROM alerts ORDER BY id DESC';
      return (db.prepare(sql).all() as Row[]).map(toAlert);
    },
    acknowledge(id, by) {
      return (
        db
          .prepare(
            'UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL',
          )
          .run(by, iso(), id).changes === 1
      );
    },
  };

  // ---------------- users ----------------
  const toUser = (r: Row): UserRecord => ({
    id: r.id as number,
    username: r.username as string,
    role: r.role as UserRole,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
    disabled: r.disabled === 1,
  });
  const users: UserStore = {
    create(input) {
      const p = input.password;
      try {
        const info = db
          .prepare(
            `INSERT INTO users (username, role, scrypt_n, scrypt_r, scrypt_p, key_length, salt, hash, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(input.username, input.role, p.n, p.r, p.p, p.keyLength, p.salt, p.hash, iso(), input.createdBy);
        return toUser(db.prepare('SELECT * FROM users WHERE id = ?').get(info.lastInsertRowid) as Row);
      } catch (error) {
        if (error instanceof Error && /UNIQUE constraint failed: users\.username/.test(error.message)) {
          throw new StoreError('conflict', `the username "${input.username}" is taken`);
        }
        throw error;
      }
    },
    get(username) {
      const r = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
      return r ? toUser(r) : null;
    },
    passwordOf(username) {
      const r = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
      if (!r) return null;
      return {
        n: r.scrypt_n as number,
        r: r.scrypt_r as number,
        p: r.scrypt_p as number,
        keyLength: r.key_length as number,
        salt: r.salt as string,
        hash: r.hash as string,
      } satisfies ScryptHash;
    },
    list() {
      return (db.prepare('SELECT * FROM users ORDER BY id').all() as Row[]).map(toUser);
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM users').get() as Row).n as number;
    },
    setPassword(username, p) {
      return (
        db
          .prepare(
            'UPDATE users SET scrypt_n = ?, scrypt_r = ?, scrypt_p = ?, key_length = ?, salt = ?, hash = ? WHERE username = ?',
          )
          .run(p.n, p.r, p.p, p.keyLength, p.salt, p.hash, username).changes === 1
      );
    },
    setDisabled(username, disabled) {
      return (
        db.prepare('UPDATE users SET disabled = ? WHERE username = ?').run(disabled ? 1 : 0, username).changes === 1
      );
    },
    setRole(username, role) {
      return db.prepare('UPDATE users SET role = ? WHERE username = ?').run(role, username).changes === 1;
    },
  };

  // ---------------- reviews ----------------
  const toReview = (r: Row): ReviewRecord => ({
    id: r.id as number,
    batchId: r.batch_id as number,
    rowIndex: r.row_index as number,
    patientId: r.patient_id as string,
    reviewedBy: r.reviewed_by as string,
    reviewedAt: r.reviewed_at as string,
    note: r.note as string,
  });
  const reviews: ReviewStore = {
    add(input) {
      const p = db
        .prepare('SELECT patient_id FROM predictions WHERE batch_id = ? AND row_index = ?')
        .get(input.batchId, input.rowIndex) as Row | undefined;
      if (!p) throw new StoreError('not-found', `batch ${input.batchId} has no row ${input.rowIndex}`);
      const info = db
        .prepare(
          'INSERT INTO reviews (batch_id, row_index, patient_id, reviewed_by, reviewed_at, note) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(input.batchId, input.rowIndex, p.patient_id, input.reviewedBy, iso(), input.note);
      return toReview(db.prepare('SELECT * FROM reviews WHERE id = ?').get(info.lastInsertRowid) as Row);
    },
    list(batchId) {
      return (db.prepare('SELECT * FROM reviews WHERE batch_id = ? ORDER BY id').all(batchId) as Row[]).map(toReview);
    },
    forPrediction(batchId, rowIndex) {
      return (
        db
          .prepare('SELECT * FROM reviews WHERE batch_id = ? AND row_index = ? ORDER BY id')
          .all(batchId, rowIndex) as Row[]
      ).map(toReview);
    },
  };

  return {
    path: dbPath,
    schemaVersion,
    experiments,
    audit,
    batches,
    labels,
    drift,
    alerts,
    users,
    reviews,
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    close() {
      if (activeBatch !== null && db.inTransaction) db.exec('ROLLBACK');
      activeBatch = null;
      db.close();
    },
  };
}

/** A bare date compares as the whole day: '2026-11-08' covers predictions made at any time that day. */
function endOfDay(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59.999Z` : date;
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

/**
 * Creates a database at schema `version` exactly (migrations 1..version), or brings an older one up to it, without
 * opening a store. For migration tests: fill an old schema with raw SQL (execRawSql), then openStore migrates it.
 */
export function migrateDatabaseTo(dbPath: string, version: number): void {
  const db = new Database(dbPath);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, () => new Date(), version);
  } finally {
    db.close();
  }
}

/**
 * Runs raw SQL on a database file outside the store's API, bypassing the audit. Exists for tamper tests and
 * maintenance scripts (the audit chain is meant to catch exactly this kind of write); never used by the product.
 */
export function execRawSql(dbPath: string, sql: string, params: readonly unknown[] = []): number {
  const db = new Database(dbPath);
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
