import { type SqliteDatabase, transaction } from './database';
import type { ExperimentStore, RunRecord, TrialRecord } from './experiment-repository';
import { json, num, parseJson, type Row, str } from './row-values';
import { StoreError } from './store-error';

export function createSqliteExperimentStore(db: SqliteDatabase, iso: () => string): ExperimentStore {
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
  return {
    startRun(input) {
      return transaction(db, () => {
        const info = db
          .prepare(
            "INSERT INTO runs (name, kind, params, data_sha256, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
          )
          .run(input.name, input.kind, json(input.params), input.dataSha256, iso());
        const id = Number(info.lastInsertRowid);
        const tag = db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
        for (const [k, v] of Object.entries(input.tags)) tag.run(id, k, String(v));
        return id;
      });
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
}

function toRun(r: Row, tags: Record<string, string>): RunRecord {
  return {
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
  };
}
