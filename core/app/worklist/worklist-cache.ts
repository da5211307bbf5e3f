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

  /** Import warnings of accepted rows, by row index (the store keys them by file line). */
  private warningsByRow(batchId: number, rowOfLine: Map<number, number>): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const issue of this.store.batches.issues(batchId, { severity: 'warning', limit: WARNINGS_KEPT })) {
      const row = issue.line === null ? undefined : rowOfLine.get(issue.line);
      if (row === undefined) continue;
      const list = out.get(row) ?? [];
      list.push(warningText(issue.column, issue.message));
      out.set(row, list);
    }
    return out;
  }

  private build(record: BatchRecord): WorklistIndex {
    const ids: string[] = [];
    const scores: number[] = [];
    const categories: RiskCategory[] = [];
    const recommended: number[] = [];
    const glucose: number[] = [];
    const bmi: number[] = [];
    const age: number[] = [];
    const lines = new Map<number, number>();
    for (const chunk of this.store.batches.iteratePredictions(record.id)) {
      for (let i = 0; i < chunk.table.rowCount; i++) {
        lines.set(chunk.table.lineNumbers[i], ids.length);
        ids.push(chunk.table.ids[i]);
        scores.push(chunk.scores[i]);
        categories.push(chunk.categories[i]);
        recommended.push(chunk.recommendations[i]);
        // A zero glucose/BMI is "not measured": shown as missing in the list, as in the detail view.
        glucose.push(chunk.table.features.Glucose[i] || Number.NaN);
        bmi.push(chunk.table.features.BMI[i] || Number.NaN);
        age.push(chunk.table.features.Age[i]);
      }
    }
    const scoreColumn = Float64Array.from(scores);
    const index = new WorklistIndex({
      ids,
      scores: scoreColumn,
      borderline:
        record.threshold === null
          ? new Uint8Array(scoreColumn.length)
          : flagBorderline(scoreColumn, record.threshold, this.borderlineBand),
      categories,
      recommended: Uint8Array.from(recommended),
      glucose: Float64Array.from(glucose),
      bmi: Float64Array.from(bmi),
      age: Float64Array.from(age),
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
