import type { WorklistQueryParsed, WorklistSortColumn } from '../../api/inputs';
import {
  type AssumedValue,
  type ReviewState,
  RISK_CATEGORIES,
  type RiskCategory,
  type WorklistRow,
} from '../../api/outputs';
import { FEATURE_UNITS } from '../../schema/columns';

const CATEGORY_RANK: Record<RiskCategory, number> = { Low: 0, Medium: 1, High: 2 };

/** One batch's worklist, columnar, as read from the store. Missing clinical values are NaN. */
export interface WorklistColumns {
  ids: string[];
  scores: Float64Array;
  categories: readonly RiskCategory[];
  recommended: Uint8Array;
  /** 1 where the score is within the borderline band around the batch's threshold. */
  borderline: Uint8Array;
  glucose: Float64Array;
  bmi: Float64Array;
  age: Float64Array;
  /** Import warnings per row index (rows without any are absent). */
  warnings?: ReadonlyMap<number, string[]>;
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

  /** Rows scored on an assumed Glucose or BMI (missing here is NaN: not recorded, or a zero meaning "not measured"). */
  incompleteCount(): number {
    let n = 0;
    for (let i = 0; i < this.rowCount; i++)
      if (Number.isNaN(this.columns.glucose[i]) || Number.isNaN(this.columns.bmi[i])) n++;
    return n;
  }

  reviewedCount(): number {
    return this.reviews.size;
  }

  categoryCounts(): Record<RiskCategory, number> {
    const counts: Record<RiskCategory, number> = { Low: 0, Medium: 0, High: 0 };
    for (let i = 0; i < this.rowCount; i++) counts[RISK_CATEGORIES[this.rank[i]]]++;
    return counts;
  }

  /** Rows matching the query, in its order (row indexes). */
  order(query: WorklistQueryParsed): Uint32Array {
    const key = JSON.stringify(query);
    if (this.cachedOrder && key === this.cachedKey) return this.cachedOrder;
    // Least significant key first; each pass is stable, so ties keep the previous order and, in the end, file order.
    let sorted: Uint32Array = Uint32Array.from(this.filter(query));
    for (let k = query.sort.length - 1; k >= 0; k--) {
      const { column, direction } = query.sort[k];
      sorted = stableOrderBy(sorted, this.sortKey(column, direction === 'asc' ? 1 : -1));
    }
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
      category: RISK_CATEGORIES[this.rank[i]],
      recommended: c.recommended[i] === 1,
      borderline: c.borderline[i] === 1,
      glucose: nullIfNaN(c.glucose[i]),
      bmi: nullIfNaN(c.bmi[i]),
      age: nullIfNaN(c.age[i]),
      review: this.reviews.get(i) ?? null,
      assumed: assumedOf(c.glucose[i], c.bmi[i]),
      warnings: c.warnings?.get(i) ?? [],
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
      if (wanted && !wanted.has(RISK_CATEGORIES[this.rank[i]])) continue;
      if (query.recommendedOnly && this.columns.recommended[i] !== 1) continue;
      if (query.borderlineOnly && this.columns.borderline[i] !== 1) continue;
      if (query.reviewed !== 'all' && this.reviews.has(i) !== (query.reviewed === 'reviewed')) continue;
      if (search && !this.lowerIds[i].includes(search)) continue;
      out.push(i);
    }
    return out;
  }

  private sortKey(column: WorklistSortColumn, sign: number): Float64Array {
    const c = this.columns;
    const n = this.rowCount;
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v: number;
      switch (column) {
        case 'risk':
          // Category first, score within it (scores are in [0, 1]).
          v = this.rank[i] * 2 + c.scores[i];
          break;
        case 'category':
          v = this.rank[i];
          break;
        case 'score':
          v = c.scores[i];
          break;
        case 'patientId':
          v = this.idRank()[i];
          break;
        case 'recommended':
          v = c.recommended[i];
          break;
        case 'reviewed':
          v = this.reviews.has(i) ? 1 : 0;
          break;
        case 'glucose':
          v = c.glucose[i];
          break;
        case 'bmi':
          v = c.bmi[i];
          break;
        case 'age':
          v = c.age[i];
          break;
      }
      // Missing values sort below every number ascending, so last when descending.
      key[i] = Number.isNaN(v) ? -Number.MAX_VALUE * sign : v * sign;
    }
    return key;
  }

  private idRanks: Float64Array | null = null;

  /** Rank of each patient_id in code-unit order, computed once per batch. */
  private idRank(): Float64Array {
    if (!this.idRanks) {
      const ids = this.columns.ids;
      const order = Array.from({ length: this.rowCount }, (_, i) => i).sort((a, b) =>
        ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0,
      );
      this.idRanks = new Float64Array(this.rowCount);
      order.forEach((row, rank) => {
        (this.idRanks as Float64Array)[row] = rank;
      });
    }
    return this.idRanks;
  }
}

/**
 * A stable sort of `order` by key[order[i]] (NaN-free) without a comparator: LSD radix sort on the IEEE-754 bit
 * patterns, 4 passes of 16 bits, carrying the row indexes. Linear in the rows; comparator sorts of 100 000 rows
 * cost tens of milliseconds more.
 */
export function stableOrderBy(order: Uint32Array, key: Float64Array): Uint32Array {
  const n = order.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = key[order[i]];
  // Little-endian words (x86, ARM): [low, high] per value.
  const bits = new Uint32Array(values.buffer);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = order.slice();
  const counts = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + 1];
    const l = bits[2 * i];
    // Negative numbers: flip every bit; others: flip the sign bit. Unsigned order is then numeric order.
    const negative = h >>> 31 === 1;
    const kh = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    const kl = negative ? ~l >>> 0 : l;
    hi[i] = kh;
    lo[i] = kl;
    counts[kl & 0xffff]++;
    counts[65536 + (kl >>> 16)]++;
    counts[131072 + (kh & 0xffff)]++;
    counts[196608 + (kh >>> 16)]++;
  }
  let hiOut = new Uint32Array(n);
  let loOut = new Uint32Array(n);
  let idxOut = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    const digitOf =
      pass === 0
        ? (i: number) => lo[i] & 0xffff
        : pass === 1
          ? (i: number) => lo[i] >>> 16
          : pass === 2
            ? (i: number) => hi[i] & 0xffff
            : (i: number) => hi[i] >>> 16;
    if (n === 0 || counts[base + digitOf(0)] === n) continue; // every row has the same digit: nothing moves
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[base + d];
      counts[base + d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const slot = counts[base + digitOf(i)]++;
      hiOut[slot] = hi[i];
      loOut[slot] = lo[i];
      idxOut[slot] = idx[i];
    }
    [hi, hiOut] = [hiOut, hi];
    [lo, loOut] = [loOut, lo];
    [idx, idxOut] = [idxOut, idx];
  }
  return idx;
}

/** The missing key measurements; the assumed value is filled in by whoever knows the scoring model's medians. */
function assumedOf(glucose: number, bmi: number): AssumedValue[] {
  const out: AssumedValue[] = [];
  if (Number.isNaN(glucose)) out.push({ feature: 'Glucose', unit: FEATURE_UNITS.Glucose, value: null });
  if (Number.isNaN(bmi)) out.push({ feature: 'BMI', unit: FEATURE_UNITS.BMI, value: null });
  return out;
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
