import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { encodeOutputRows, OUTPUT_HEADER } from '../screening/output-csv';
import { type ChainProblem, RETENTION_PURGED } from './audit-chain';
import type { AuditEvent } from './audit-log';
import { crossCheckFollowUps } from './follow-up-crosscheck';
import type { Store } from './store';

/**
 * The chain proves the events were not changed; these checks prove the tables still say what the events recorded
 * about them: a prediction, label, review note or role changed behind the app's back shows up here. Only events
 * that carry a digest are checked (older events did not record one). Messages name ids and patient_ids only.
 */
export function crossCheckAudit(store: Store): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const add = (seq: number, message: string) => problems.push({ seq, kind: 'content', message });
  /** Per label file: the last event that recorded its stored rows (its import, or a purge that removed some). */
  const lastLabelEvent = new Map<string, { event: AuditEvent; recorded: { count: number; sha256: string } }>();
  /** Batches a verified purge event names, by batch id: their patient rows are gone by design. */
  const purgedBy = new Map<number, number>();
  const lastRoleEvent = new Map<string, { event: AuditEvent; role: string | null }>();
  const reviewsByBatch = new Map<number, Map<number, { note: string; rowIndex: number; reviewedBy: string }>>();
  const batchEvents: AuditEvent[] = [];

  for (const event of store.audit.list()) {
    const d = event.details;
    if (event.action === 'batch.scored' && typeof d.outputSha256 === 'string') {
      batchEvents.push(event);
    } else if (event.action === 'labels.imported' && typeof d.sha256 === 'string' && isDigest(d.stored)) {
      lastLabelEvent.set(d.sha256, { event, recorded: d.stored as { count: number; sha256: string } });
    } else if (event.action === RETENTION_PURGED && !event.purgedBySeq) {
      for (const id of Array.isArray(d.batchIds) ? d.batchIds : []) purgedBy.set(Number(id), event.seq);
      const after = (d.labelsAfter ?? {}) as Record<string, unknown>;
      for (const [fileSha, digest] of Object.entries(after)) {
        if (isDigest(digest))
          lastLabelEvent.set(fileSha, { event, recorded: digest as { count: number; sha256: string } });
      }
    } else if (
      event.action === 'patient.reviewed' &&
      typeof d.reviewId === 'number' &&
      typeof d.noteSha256 === 'string'
    ) {
      const batchId = d.batchId as number;
      let reviews = reviewsByBatch.get(batchId);
      if (!reviews) {
        reviews = new Map(store.reviews.list(batchId).map((r) => [r.id, r]));
        reviewsByBatch.set(batchId, reviews);
      }
      const review = reviews.get(d.reviewId);
      if (!review)
        add(
          event.seq,
          `review ${d.reviewId} of patient_id ${event.subject} (event seq ${event.seq}) is missing from the reviews table`,
        );
      else if (sha256(review.note) !== d.noteSha256) {
        add(
          event.seq,
          `the note of review ${d.reviewId} of patient_id ${event.subject} was changed after event seq ${event.seq} recorded it`,
        );
      } else if (review.rowIndex !== d.rowIndex || review.reviewedBy !== event.actor) {
        add(
          event.seq,
          `review ${d.reviewId} of patient_id ${event.subject} no longer names the row or reviewer event seq ${event.seq} recorded`,
        );
      }
    } else if (event.subject && event.action.startsWith('user.')) {
      const role = roleIn(d);
      if (role !== undefined) lastRoleEvent.set(event.subject.toLowerCase(), { event, role });
    }
  }

  // A file re-scored with --force is written again at the same path: the file belongs to the last batch only.
  const fileOwner = new Map<string, number>();
  for (const event of batchEvents) {
    const batch = store.batches.get(batchIdOf(event));
    if (batch?.outputPath) fileOwner.set(batch.outputPath, batch.id);
  }
  for (const event of batchEvents) {
    const purgeSeq = purgedBy.get(batchIdOf(event));
    if (purgeSeq === undefined) checkBatch(store, event, event.details.outputSha256 as string, fileOwner, add);
    else checkPurgedBatch(store, event, purgeSeq, add);
  }
  for (const batch of store.batches.list({ limit: Number.MAX_SAFE_INTEGER })) {
    if (batch.purgedAt !== null && !purgedBy.has(batch.id)) {
      add(0, `batch ${batch.id} is marked purged, but no retention purge event names it`);
    }
  }

  for (const [fileSha, { event, recorded }] of lastLabelEvent) {
    const now = store.audit.labelDigest(fileSha);
    if (now.count !== recorded.count) {
      add(
        event.seq,
        `labels of file ${event.subject} (event seq ${event.seq}): ${recorded.count} rows were stored, the table now holds ${now.count}`,
      );
    } else if (now.sha256 !== recorded.sha256) {
      add(
        event.seq,
        `labels of file ${event.subject} (event seq ${event.seq}): stored label rows (outcome, date or matched prediction) changed since the import`,
      );
    }
  }

  crossCheckFollowUps(store, store.audit.list(), add);

  const users = new Map(store.users.list().map((u) => [u.username.toLowerCase(), u]));
  for (const [name, { event, role }] of lastRoleEvent) {
    const user = users.get(name);
    if (role === null) continue;
    if (!user)
      add(
        event.seq,
        `user ${event.subject} is missing from the users table, though event seq ${event.seq} gave it role ${role}`,
      );
    else if (user.role !== role) {
      add(
        event.seq,
        `user ${user.username} has role ${user.role}, but the last role event (seq ${event.seq}, ${event.action}) says ${role}`,
      );
    }
  }
  return problems;
}

/** The role a user event leaves the account with: details.after.role, else details.role; null for a removal. */
function roleIn(d: Record<string, unknown>): string | null | undefined {
  const after = d.after as Record<string, unknown> | null | undefined;
  if (after === null) return null;
  if (after && typeof after === 'object' && typeof after.role === 'string') return after.role;
  if (typeof d.role === 'string') return d.role;
  return undefined;
}

function isDigest(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as { sha256?: unknown }).sha256 === 'string';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A purged batch keeps its row and its recorded output digest, and holds no prediction rows any more. */
function checkPurgedBatch(store: Store, event: AuditEvent, purgeSeq: number, add: (seq: number, m: string) => void) {
  const batchId = batchIdOf(event);
  const batch = store.batches.get(batchId);
  const where = `batch ${batchId} (event seq ${event.seq}, purged by event seq ${purgeSeq})`;
  if (!batch) add(event.seq, `${where} is missing from the batches table`);
  else if (batch.purgedAt === null) add(event.seq, `${where} is not marked purged in the batches table`);
  else if (batch.outputSha256 !== event.details.outputSha256) {
    add(event.seq, `${where}: the batches table's output sha256 differs from the one the event recorded`);
  } else {
    for (const chunk of store.batches.iteratePredictions(batchId)) {
      if (chunk.scores.length > 0) {
        add(event.seq, `${where} holds prediction rows again after its purge`);
        break;
      }
    }
  }
}

/**
 * Regenerates the batch's output CSV from its stored prediction rows and compares it with the sha256 recorded at
 * scoring, and the file on disk with both; when the file is intact, the first differing row is named.
 */
function batchIdOf(event: AuditEvent): number {
  return Number(event.subject?.replace(/^batch:/, ''));
}

function checkBatch(
  store: Store,
  event: AuditEvent,
  recordedSha: string,
  fileOwner: ReadonlyMap<string, number>,
  add: (seq: number, m: string) => void,
) {
  const batchId = batchIdOf(event);
  const batch = store.batches.get(batchId);
  const where = `batch ${batchId} (event seq ${event.seq})`;
  if (!batch) {
    add(event.seq, `${where} is missing from the batches table`);
    return;
  }
  const owned = batch.outputPath !== null && fileOwner.get(batch.outputPath) === batchId;
  const fileText = owned && batch.outputPath && existsSync(batch.outputPath) ? readFileSync(batch.outputPath) : null;
  const fileSha = fileText ? createHash('sha256').update(fileText).digest('hex') : null;
  if (fileSha !== null && fileSha !== recordedSha) {
    add(event.seq, `${where}: the output file ${batch.outputPath} differs from the sha256 recorded at scoring`);
  }
  if (batch.outputSha256 !== recordedSha) {
    add(event.seq, `${where}: the batches table's output sha256 differs from the one the event recorded`);
  }
  const fileLines = fileSha === recordedSha && fileText ? fileText.toString('utf8').split('\n') : null;
  const hash = createHash('sha256').update(`${OUTPUT_HEADER}\n`);
  let rows = 0;
  let firstDiff: string | null = null;
  for (const chunk of store.batches.iteratePredictions(batchId)) {
    const n = chunk.scores.length;
    const bytes = encodeOutputRows(
      chunk.table.ids,
      chunk.recommendations,
      chunk.scores,
      chunk.categories,
      n,
      batch.modelVersion ?? '',
      batch.predictionDate,
    );
    hash.update(bytes);
    if (fileLines && firstDiff === null) {
      const lines = bytes.toString('utf8').split('\n');
      for (let i = 0; i < n; i++) {
        // Line 1 of the file is the header.
        if (lines[i] !== fileLines[rows + i + 1]) {
          firstDiff = `row ${chunk.rowIndexStart + i} (patient_id ${chunk.table.ids[i]})`;
          break;
        }
      }
    }
    rows += n;
  }
  const expectedRows = event.details.rowsValid;
  if (typeof expectedRows === 'number' && rows !== expectedRows) {
    add(event.seq, `${where}: ${expectedRows} prediction rows were stored, the table now holds ${rows}`);
  } else if (hash.digest('hex') !== recordedSha) {
    add(
      event.seq,
      `${where}: stored prediction ${firstDiff ? `${firstDiff} no longer matches` : 'rows no longer match'} the output sha256 recorded at scoring`,
    );
  }
}
