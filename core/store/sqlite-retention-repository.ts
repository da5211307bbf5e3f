import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { reviewPathFor } from '../screening/output-files';
import { RETENTION_PURGED, tombstoneDigest } from './audit-chain';
import { redactTrailEvents } from './audit-trail';
import { immediateTransaction, type SqliteDatabase, transaction } from './database';
import type {
  PurgeCounts,
  PurgedBatch,
  PurgeOutcome,
  PurgeRequest,
  RetainedWeekCounts,
  RetainedWeekEstimate,
  RetentionStore,
} from './retention-repository';
import { json, parseJson, type Row } from './row-values';
import { eventTrailLine, type SqliteAuditLog } from './sqlite-audit-log';

/** Audit actions whose event names one screening row (details.batchId): tombstoned with their batch. */
const ROW_EVENTS = ['patient.reviewed', 'read.patient-detail', 'read.quick-score'];
/** Audit actions about a patient across screenings (subject = patient_id): tombstoned with the whole patient. */
const PATIENT_EVENTS = ['follow-up.status', 'follow-up.result-recorded', 'follow-up.assigned', 'read.patient-history'];

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Rolls back a dry run: everything it counted was done in a transaction that must not commit. */
class DryRunRollback extends Error {}

export function createSqliteRetentionStore(
  db: SqliteDatabase,
  audit: SqliteAuditLog,
  iso: () => string,
): RetentionStore {
  /**
   * Fills the temp tables with what a purge at `cutoff` removes: the batches, the patients none of whose screenings
   * stay, the audit events to tombstone and the files. Runs inside the caller's transaction.
   */
  const collect = (cutoff: string, rejectedDir: string | null) => {
    db.exec(`
      DROP TABLE IF EXISTS temp.purge_batches;
      DROP TABLE IF EXISTS temp.purge_patients;
      DROP TABLE IF EXISTS temp.purge_events;
      CREATE TEMP TABLE purge_batches (id INTEGER PRIMARY KEY);
      CREATE TEMP TABLE purge_patients (patient_id TEXT PRIMARY KEY);
      CREATE TEMP TABLE purge_events (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL);`);
    // A running batch is still being written by its own transaction; it is never before a past cut-off anyway.
    db.prepare(
      `INSERT INTO purge_batches SELECT id FROM batches
       WHERE prediction_date < ? AND purged_at IS NULL AND status != 'running'`,
    ).run(cutoff);
    db.exec(`
      INSERT INTO purge_patients
        SELECT DISTINCT patient_id FROM predictions WHERE batch_id IN (SELECT id FROM purge_batches)
        EXCEPT SELECT patient_id FROM predictions WHERE batch_id NOT IN (SELECT id FROM purge_batches);
      INSERT INTO purge_events
        SELECT seq, hash FROM audit_events WHERE purged_by_seq IS NULL AND (
          (action IN (${inList(ROW_EVENTS)})
            AND json_extract(details, '$.batchId') IN (SELECT id FROM purge_batches))
          OR (action IN (${inList(PATIENT_EVENTS)}) AND subject IN (SELECT patient_id FROM purge_patients)));`);
    const count = (sql: string) => (db.prepare(sql).get() as Row).n as number;
    const inBatches = 'batch_id IN (SELECT id FROM purge_batches)';
    const ofPatients = 'patient_id IN (SELECT patient_id FROM purge_patients)';
    const batches = db
      .prepare(
        `SELECT b.id, b.prediction_date, b.model_version, b.output_path,
           (SELECT json_extract(details, '$.rejectedCopy') FROM audit_events
             WHERE subject = 'batch:' || b.id AND json_extract(details, '$.rejectedCopy') IS NOT NULL LIMIT 1) AS rejected_copy
         FROM batches b WHERE b.id IN (SELECT id FROM purge_batches) ORDER BY b.id`,
      )
      .all() as Row[];
    const files: string[] = [];
    for (const b of batches) {
      if (typeof b.output_path === 'string') files.push(b.output_path, reviewPathFor(b.output_path));
      if (rejectedDir && typeof b.rejected_copy === 'string') {
        const copy = join(rejectedDir, b.rejected_copy);
        files.push(copy, `${copy}.errors.json`);
      }
    }
    // A file re-scored with --force at the same path belongs to the newest batch: it stays while that one does.
    const kept = new Set(
      (
        db
          .prepare(
            `SELECT output_path FROM batches WHERE output_path IS NOT NULL AND id NOT IN (SELECT id FROM purge_batches)`,
          )
          .all() as Row[]
      ).flatMap((r) => [r.output_path as string, reviewPathFor(r.output_path as string)]),
    );
    const ownFiles = [...new Set(files)].filter((f) => !kept.has(f));
    const counts: PurgeCounts = {
      batches: batches.length,
      predictions: count(`SELECT count(*) AS n FROM predictions WHERE ${inBatches}`),
      rowIssues: count(`SELECT count(*) AS n FROM rejected_rows WHERE ${inBatches}`),
      reviews: count(`SELECT count(*) AS n FROM reviews WHERE ${inBatches}`),
      labels: count(`SELECT count(*) AS n FROM labels WHERE ${inBatches} OR ${ofPatients}`),
      followUpSteps: count(`SELECT count(*) AS n FROM follow_up_events WHERE ${ofPatients}`),
      followUpResults: count(`SELECT count(*) AS n FROM follow_up_results WHERE ${ofPatients}`),
      followUpAssignments: count(`SELECT count(*) AS n FROM follow_up_assignments WHERE ${ofPatients}`),
      shadowRows: count(`SELECT coalesce(sum(row_count), 0) AS n FROM shadow_scores WHERE ${inBatches}`),
      patients: count('SELECT count(*) AS n FROM purge_patients'),
      auditEvents: count('SELECT count(*) AS n FROM purge_events'),
      files: ownFiles.filter((f) => existsSync(f)).length,
    };
    const purged: PurgedBatch[] = batches.map((b) => ({
      id: b.id as number,
      predictionDate: b.prediction_date as string,
      modelVersion: (b.model_version as string | null) ?? null,
    }));
    return { counts, purged, files: ownFiles };
  };

  const dropTemp = () =>
    db.exec(
      'DROP TABLE IF EXISTS temp.purge_batches; DROP TABLE IF EXISTS temp.purge_patients; DROP TABLE IF EXISTS temp.purge_events;',
    );

  /** Deletes the collected rows, keeps the aggregates, appends the purge event and tombstones the events. */
  const apply = (request: PurgeRequest, collected: ReturnType<typeof collect>): number => {
    const { counts, purged, files } = collected;
    const retained = request.aggregate(purged);
    const labelSources = (
      db
        .prepare(
          `SELECT DISTINCT source_sha256 FROM labels WHERE source_sha256 IS NOT NULL AND
           (batch_id IN (SELECT id FROM purge_batches) OR patient_id IN (SELECT patient_id FROM purge_patients))`,
        )
        .all() as Row[]
    ).map((r) => r.source_sha256 as string);
    const ofPatients = 'patient_id IN (SELECT patient_id FROM purge_patients)';
    const inBatches = 'batch_id IN (SELECT id FROM purge_batches)';
    db.exec(`
      DELETE FROM reviews WHERE ${inBatches};
      DELETE FROM labels WHERE ${inBatches} OR ${ofPatients};
      DELETE FROM follow_up_results WHERE ${ofPatients};
      DELETE FROM follow_up_events WHERE ${ofPatients};
      DELETE FROM follow_up_assignments WHERE ${ofPatients};
      DELETE FROM shadow_scores WHERE ${inBatches};
      DELETE FROM prediction_inputs WHERE ${inBatches};
      DELETE FROM predictions WHERE ${inBatches};
      DELETE FROM rejected_rows WHERE ${inBatches};`);
    db.prepare('UPDATE batches SET purged_at = ? WHERE id IN (SELECT id FROM purge_batches)').run(iso());
    // The label files' stored rows changed: the purge event records what they hold now, as an import would.
    const labelsAfter: Record<string, { count: number; sha256: string }> = {};
    for (const sha of labelSources) labelsAfter[sha] = audit.labelDigest(sha);
    const tombstones = db.prepare('SELECT seq, hash FROM purge_events ORDER BY seq').all() as {
      seq: number;
      hash: string;
    }[];
    const event = audit.appendInTransaction({
      actor: request.actor,
      action: RETENTION_PURGED,
      subject: 'retention',
      details: {
        ...request.auditDetails,
        cutoff: request.cutoff,
        batchIds: purged.map((b) => b.id),
        counts,
        labelsAfter,
        retainedWeeks: retained.performance.map((w) => `${w.week} ${w.modelVersion}`),
        tombstones: tombstoneDigest(tombstones),
      },
    });
    db.prepare(
      `UPDATE audit_events SET subject = NULL, details = '{}', purged_by_seq = ?
       WHERE seq IN (SELECT seq FROM purge_events)`,
    ).run(event.seq);
    const keepWeek = db.prepare(
      `INSERT INTO retained_weekly_performance
         (week, model_version, n, tp, fp, fn, tn, auc, subgroup_recall, purge_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const w of retained.performance) {
      keepWeek.run(w.week, w.modelVersion, w.n, w.tp, w.fp, w.fn, w.tn, w.auc, json(w.subgroupRecall), event.seq);
    }
    const keepEstimate = db.prepare(
      'INSERT INTO retained_weekly_estimates (week, model_version, estimate, purge_seq) VALUES (?, ?, ?, ?)',
    );
    for (const e of retained.estimates) keepEstimate.run(e.week, e.modelVersion, json(e.estimate), event.seq);
    const pending = db.prepare('INSERT OR IGNORE INTO pending_file_deletions (path, purge_seq) VALUES (?, ?)');
    for (const f of files) pending.run(f, event.seq);
    request.beforeCommit?.();
    return event.seq;
  };

  const finishPending = (): string[] => {
    const removed: string[] = [];
    for (const r of db.prepare('SELECT path FROM pending_file_deletions ORDER BY path').all() as Row[]) {
      const path = r.path as string;
      if (existsSync(path)) {
        rmSync(path, { force: true });
        removed.push(path);
      }
      db.prepare('DELETE FROM pending_file_deletions WHERE path = ?').run(path);
    }
    if (audit.trailPath) {
      const tombstoned = db
        .prepare('SELECT seq, purged_by_seq FROM audit_events WHERE purged_by_seq IS NOT NULL')
        .all() as Row[];
      redactTrailEvents(audit.trailPath, new Map(tombstoned.map((r) => [r.seq as number, r.purged_by_seq as number])));
    }
    return removed;
  };

  return {
    dryRun(cutoff, rejectedDir) {
      let outcome: PurgeOutcome | null = null;
      try {
        transaction(db, () => {
          const { counts, purged } = collect(cutoff, rejectedDir);
          outcome = { counts, batchIds: purged.map((b) => b.id), purgeSeq: null };
          throw new DryRunRollback();
        });
      } catch (error) {
        if (!(error instanceof DryRunRollback)) throw error;
      }
      if (!outcome) throw new Error('the dry run counted nothing');
      return outcome;
    },
    purge(request) {
      audit.holdTrail();
      let outcome: PurgeOutcome;
      try {
        outcome = immediateTransaction(db, () => {
          const collected = collect(request.cutoff, request.rejectedDir);
          const batchIds = collected.purged.map((b) => b.id);
          if (batchIds.length === 0) return { counts: collected.counts, batchIds, purgeSeq: null };
          const purgeSeq = apply(request, collected);
          dropTemp();
          return { counts: collected.counts, batchIds, purgeSeq };
        });
      } catch (error) {
        audit.dropHeldTrail();
        throw error;
      }
      const event = outcome.purgeSeq === null ? [] : audit.list({ afterSeq: outcome.purgeSeq - 1, limit: 1 });
      audit.releaseTrail(event.map(eventTrailLine));
      request.afterCommit?.();
      finishPending();
      return outcome;
    },
    finishPending,
    retainedPerformance() {
      return (db.prepare('SELECT * FROM retained_weekly_performance ORDER BY week, model_version').all() as Row[]).map(
        (r): RetainedWeekCounts => ({
          week: r.week as string,
          modelVersion: r.model_version as string,
          n: r.n as number,
          tp: r.tp as number,
          fp: r.fp as number,
          fn: r.fn as number,
          tn: r.tn as number,
          auc: (r.auc as number | null) ?? null,
          subgroupRecall: parseJson(r.subgroup_recall, []),
        }),
      );
    },
    retainedEstimates() {
      return (db.prepare('SELECT * FROM retained_weekly_estimates ORDER BY week, model_version').all() as Row[]).map(
        (r): RetainedWeekEstimate => ({
          week: r.week as string,
          modelVersion: r.model_version as string,
          estimate: parseJson(r.estimate, null),
        }),
      );
    },
  };
}
