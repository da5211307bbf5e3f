import type { BatchSummary, ReviewState, RiskCategory } from '../../api/outputs';
import { flagBorderline } from '../../explain/borderline';
import type { BatchRecord } from '../../store/batch-repository';
import type { ReviewRecord } from '../../store/review-repository';
import type { Store } from '../../store/store';
import { toBatchSummary } from '../batches/batch-mapping';
import { type LiveValue, readLive } from '../live-settings';
import { WorklistIndex } from './worklist-index';

/** Worklists kept in memory (100 000 rows is a few MB); older ones are rebuilt from the store on demand. */
const CACHED_WORKLISTS = 4;
/** Warnings read per batch for the per-patient badges: bounds memory on a hostile file. */
const WARNINGS_KEPT = 50_000;

/** The worklist indexes of the most recently used batches, built from the store's predictions and reviews. */
export class WorklistCache {
  private readonly worklists = new Map<number, WorklistIndex>();

  constructor(
    private readonly store: Store,
    /** Half-width of the borderline band around the threshold (probability scale). */
    private readonly borderlineSetting: LiveValue<number>,
  ) {}

  get borderlineBand(): number {
    return readLive(this.borderlineSetting);
  }

  /** Forgets every cached worklist (their rows were removed behind them, by a retention purge). */
  clear(): void {
    this.worklists.clear();
  }

  of(record: BatchRecord): WorklistIndex {
    const cached = this.worklists.get(record.id);
    if (cached) {
      this.worklists.delete(record.id);
      this.worklists.set(record.id, cached);
      return cached;
    }
    const index = this.build(record);
    this.worklists.set(record.id, index);
    while (this.worklists.size > CACHED_WORKLISTS) this.worklists.delete(this.worklists.keys().next().value as number);
    return index;
  }

  summaryOf(record: BatchRecord): BatchSummary {
    return toBatchSummary(
      record,
      this.worklists.get(record.id)?.reviewedCount() ?? this.latestReviews(record.id).size,
      this.store.drift.get(record.id),
    );
  }

  private latestReviews(batchId: number): Map<number, ReviewState> {
    const latest = new Map<number, ReviewState>();
    for (const r of this.store.reviews.list(batchId)) latest.set(r.rowIndex, reviewState(r));
    return latest;
  }

  /** Import warnings of accepted rows, by row index (the store keys them by file line, `lines` by row). */
  private warningsByRow(batchId: number, lines: Uint32Array): Map<number, string[]> {
    const out = new Map<number, string[]>();
    const issues = this.store.batches.issues(batchId, { severity: 'warning', limit: WARNINGS_KEPT });
    if (issues.length === 0) return out;
    // Only the lines that carry a warning are looked up, not every row's.
    const rowOfLine = new Map<number, number>();
    for (const issue of issues) if (issue.line !== null) rowOfLine.set(issue.line, -1);
    for (let row = 0; row < lines.length; row++) if (rowOfLine.has(lines[row])) rowOfLine.set(lines[row], row);
    for (const issue of issues) {
      const row = issue.line === null ? -1 : (rowOfLine.get(issue.line) ?? -1);
      if (row < 0) continue;
      const list = out.get(row) ?? [];
      list.push(warningText(issue.column, issue.message));
      out.set(row, list);
    }
    return out;
  }

  private build(record: BatchRecord): WorklistIndex {
    // Sized by the batch's valid rows (what it stored); grown should the store hold more.
    let capacity = Math.max(record.rowsValid, 1);
    const ids: string[] = [];
    const categories: RiskCategory[] = [];
    let scores = new Float64Array(capacity);
    let recommended = new Uint8Array(capacity);
    let glucose = new Float64Array(capacity);
    let bmi = new Float64Array(capacity);
    let age = new Float64Array(capacity);
    let lines = new Uint32Array(capacity);
    let at = 0;
    for (const chunk of this.store.batches.iteratePredictions(record.id)) {
      const { table } = chunk;
      if (at + table.rowCount > capacity) {
        capacity = Math.max(2 * capacity, at + table.rowCount);
        [scores, glucose, bmi, age] = [scores, glucose, bmi, age].map((column) => grown(column, capacity));
        recommended = grown(recommended, capacity);
        lines = grown(lines, capacity);
      }
      lines.set(table.lineNumbers, at);
      scores.set(chunk.scores, at);
      recommended.set(chunk.recommendations, at);
      age.set(table.features.Age, at);
      for (let i = 0; i < table.rowCount; i++) {
        ids.push(table.ids[i]);
        categories.push(chunk.categories[i]);
        // A zero glucose/BMI is "not measured": shown as missing in the list, as in the detail view.
        glucose[at + i] = table.features.Glucose[i] || Number.NaN;
        bmi[at + i] = table.features.BMI[i] || Number.NaN;
      }
      at += table.rowCount;
    }
    const rowCount = at;
    [scores, glucose, bmi, age] = [scores, glucose, bmi, age].map((column) => column.subarray(0, rowCount));
    recommended = recommended.subarray(0, rowCount);
    lines = lines.subarray(0, rowCount);
    const index = new WorklistIndex({
      ids,
      scores,
      borderline:
        record.threshold === null
          ? new Uint8Array(rowCount)
          : flagBorderline(scores, record.threshold, this.borderlineBand),
      categories,
      recommended,
      glucose,
      bmi,
      age,
      warnings: this.warningsByRow(record.id, lines),
    });
    for (const [rowIndex, review] of this.latestReviews(record.id)) index.setReview(rowIndex, review);
    return index;
  }
}

export function reviewState(record: ReviewRecord): ReviewState {
  return { by: record.reviewedBy, at: record.reviewedAt, note: record.note };
}

/** The row of a patient in a batch: by rowIndex when given (duplicate ids), else the first with that id. */
export function rowOf(index: WorklistIndex, patientId: string, rowIndex: number | undefined): number {
  if (rowIndex !== undefined) {
    return rowIndex < index.rowCount && index.row(rowIndex).patientId === patientId ? rowIndex : -1;
  }
  return index.rowIndexOf(patientId);
}

/** "Glucose: value is implausible", without repeating the column when the message already starts with it. */
export function warningText(column: string | null, message: string): string {
  if (!column || message.toLowerCase().startsWith(column.toLowerCase())) return message;
  return `${column}: ${message}`;
}

/** A copy of `column` with room for `capacity` values. */
function grown<T extends Float64Array | Uint8Array | Uint32Array>(column: T, capacity: number): T {
  const next = new (column.constructor as new (length: number) => T)(capacity);
  next.set(column);
  return next;
}
