import type { WorklistQueryParsed, WorklistSortColumn } from '../api/inputs';
import type { ReviewState, RiskCategory, WorklistRow } from '../api/outputs';

const CATEGORY_RANK: Record<RiskCategory, number> = { Low: 0, Medium: 1, High: 2 };
const RANK_CATEGORY: readonly RiskCategory[] = ['Low', 'Medium', 'High'];

/** One batch's worklist, columnar, as read from the store. Missing clinical values are NaN. */
export interface WorklistColumns {
  ids: string[];
  scores: Float64Array;
  categories: readonly RiskCategory[];
  recommended: Uint8Array;
  glucose: Float64Array;
  bmi: Float64Array;
  age: Float64Array;
}

/**
 * Sorting, filtering and search of a batch in main, so that 100 000 rows never cross the bridge: the renderer asks
 * for pages. The order of the last query is kept, so scrolling through pages costs O(page), not a sort per page.
 */
export class WorklistIndex {
  readonly rowCount: number;
  private readonly rank: Uint8Array;
  private readonly lowerIds: string[];
  private readonly reviews = new Map<number, ReviewState>();
  private cachedKey = '';
  private cachedOrder: Uint32Array | null = null;

  constructor(private readonly columns: WorklistColumns) {
    this.rowCount = columns.ids.length;
    this.rank = new Uint8Array(this.rowCount);
    for (let i = 0; i < this.rowCount; i++) this.rank[i] = CATEGORY_RANK[columns.categories[i]];
    this.lowerIds = columns.ids.map((id) => id.toLowerCase());
  }

  setReview(rowIndex: number, review: ReviewState): void {
    this.reviews.set(rowIndex, review);
    this.cachedOrder = null;
  }

  review(rowIndex: number): ReviewState | null {
    return this.reviews.get(rowIndex) ?? null;
  }

  reviewedCount(): number {
    return this.reviews.size;
  }

  categoryCounts(): Record<RiskCategory, number> {
    const counts: Record<RiskCategory, number> = { Low: 0, Medium: 0, High: 0 };
    for (let i = 0; i < this.rowCount; i++) counts[RANK_CATEGORY[this.rank[i]]]++;
    return counts;
  }

  /** Rows matching the query, in its order (row indexes). */
  order(query: WorklistQueryParsed): Uint32Array {
    const key = JSON.stringify(query);
    if (this.cachedOrder && key === this.cachedKey) return this.cachedOrder;
    const matching = this.filter(query);
    const compare = this.comparator(query.sort);
    const sorted = Uint32Array.from(matching).sort(compare);
    this.cachedKey = key;
    this.cachedOrder = sorted;
    return sorted;
  }

  page(query: WorklistQueryParsed, offset: number, limit: number): { matching: number; rows: WorklistRow[] } {
    const order = this.order(query);
    const rows: WorklistRow[] = [];
    const end = Math.min(order.length, offset + limit);
    for (let k = offset; k < end; k++) rows.push(this.row(order[k]));
    return { matching: order.length, rows };
  }

  /** Position of a row in the query's order, -1 when it does not match. */
  positionOf(query: WorklistQueryParsed, rowIndex: number): number {
    return this.order(query).indexOf(rowIndex);
  }

  row(i: number): WorklistRow {
    const c = this.columns;
    return {
      rowIndex: i,
      patientId: c.ids[i],
      score: c.scores[i],
      category: RANK_CATEGORY[this.rank[i]],
      recommended: c.recommended[i] === 1,
      glucose: nullIfNaN(c.glucose[i]),
      bmi: nullIfNaN(c.bmi[i]),
      age: nullIfNaN(c.age[i]),
      review: this.reviews.get(i) ?? null,
    };
  }

  rowIndexOf(patientId: string): number {
    return this.columns.ids.indexOf(patientId);
  }

  private filter(query: WorklistQueryParsed): number[] {
    const wanted = query.categories && query.categories.length > 0 ? new Set(query.categories) : null;
    const search = query.search.toLowerCase();
    const out: number[] = [];
    for (let i = 0; i < this.rowCount; i++) {
      if (wanted && !wanted.has(RANK_CATEGORY[this.rank[i]])) continue;
      if (query.recommendedOnly && this.columns.recommended[i] !== 1) continue;
      if (query.reviewed !== 'all' && this.reviews.has(i) !== (query.reviewed === 'reviewed')) continue;
      if (search && !this.lowerIds[i].includes(search)) continue;
      out.push(i);
    }
    return out;
  }

  private comparator(sort: WorklistQueryParsed['sort']): (a: number, b: number) => number {
    const keys = sort.map(({ column, direction }) => ({
      compare: this.columnComparator(column),
      sign: direction === 'asc' ? 1 : -1,
    }));
    return (a, b) => {
      for (const { compare, sign } of keys) {
        const d = compare(a, b);
        if (d !== 0) return d * sign;
      }
      return a - b; // stable: file order breaks ties
    };
  }

  private columnComparator(column: WorklistSortColumn): (a: number, b: number) => number {
    const c = this.columns;
    switch (column) {
      case 'risk':
        return (a, b) => this.rank[a] - this.rank[b] || c.scores[a] - c.scores[b];
      case 'category':
        return (a, b) => this.rank[a] - this.rank[b];
      case 'score':
        return (a, b) => c.scores[a] - c.scores[b];
      case 'patientId':
        return (a, b) => (c.ids[a] < c.ids[b] ? -1 : c.ids[a] > c.ids[b] ? 1 : 0);
      case 'recommended':
        return (a, b) => c.recommended[a] - c.recommended[b];
      case 'reviewed':
        return (a, b) => Number(this.reviews.has(a)) - Number(this.reviews.has(b));
      case 'glucose':
        return numeric(c.glucose);
      case 'bmi':
        return numeric(c.bmi);
      case 'age':
        return numeric(c.age);
    }
  }
}

/** Missing values sort below every number in ascending order (and so last in descending order). */
function numeric(values: Float64Array): (a: number, b: number) => number {
  return (a, b) => {
    const x = values[a];
    const y = values[b];
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
    if (Number.isNaN(y)) return 1;
    return x - y;
  };
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
