import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';

/** The valid rows of one chunk, written column by column (capacity: an upper bound on the rows). */
export class RowBuilder {
  readonly features = emptyFeatureColumns(0);
  readonly columns: Float64Array[];
  readonly ids: string[] = [];
  readonly lineNumbers: Uint32Array;
  readonly outcome: Uint8Array | null;
  kept = 0;

  constructor(
    readonly capacity: number,
    training: boolean,
  ) {
    this.features = emptyFeatureColumns(capacity);
    this.columns = FEATURE_COLUMNS.map((c) => this.features[c]);
    this.lineNumbers = new Uint32Array(capacity);
    this.outcome = training ? new Uint8Array(capacity) : null;
  }

  /** Typed arrays drop writes past their end silently: a row that does not fit must fail loudly instead. */
  checkRoom(): void {
    if (this.kept >= this.capacity) throw new Error(`ingest: more rows than the chunk's bound of ${this.capacity}`);
  }

  finish(): PatientTable {
    const n = this.kept;
    const trimmed = emptyFeatureColumns(0);
    for (const c of FEATURE_COLUMNS) trimmed[c] = this.features[c].subarray(0, n);
    return {
      rowCount: n,
      ids: this.ids,
      lineNumbers: this.lineNumbers.subarray(0, n),
      features: trimmed,
      outcome: this.outcome ? this.outcome.subarray(0, n) : null,
    };
  }
}
