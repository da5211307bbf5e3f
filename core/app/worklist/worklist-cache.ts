import type { BatchSummary, ReviewState, RiskCategory } from '../../api/outputs';
import { flagBorderline } from '../../explain/borderline';
import type { BatchRecord } from '../../store/batch-repository';
import type { ReviewRecord } from '../../store/review-repository';
import type { Store } from '../../store/store';
import { toBatchSummary } from '../batches/batch-mapping';
import { WorklistIndex } from './worklist-index';

/** Worklists kept in memory (100 000 rows is a few MB); older ones are rebuilt from the store on demand. */
const CACHED_WORKLISTS = 4;

/** The worklist indexes of the most recently used batches, built from the store's predictions and reviews. */
export class WorklistCache {
  private readonly worklists = new Map<number, WorklistIndex>();

  constructor(
    private readonly store: Store,
    /** Half-width of the borderline band around the threshold (probability scale). */
    readonly borderlineBand: number,
  ) {}

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

  private build(record: BatchRecord): WorklistIndex {
    const ids: string[] = [];
    const scores: number[] = [];
    const categories: RiskCategory[] = [];
    const recommended: number[] = [];
    const glucose: number[] = [];
    const bmi: number[] = [];
    const age: number[] = [];
    for (const chunk of this.store.batches.iteratePredictions(record.id)) {
      for (let i = 0; i < chunk.table.rowCount; i++) {
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
