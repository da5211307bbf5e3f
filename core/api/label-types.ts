// The labels import report as the contract carries it (the monitoring view shows it as it is); core/labels computes
// it (label-import.ts, label-file.ts) and re-exports these types from there for the computing side.

/** A row of a labels CSV that breaks a rule (bad patient_id, outcome or date). */
export interface LabelRowError {
  line: number;
  patientId: string | null;
  column: string;
  value: string;
  message: string;
}

export interface UnmatchedLabel {
  line: number;
  patientId: string;
  diagnosisDate: string | null;
  reason: string;
}

export interface ConflictingLabel {
  line: number | null;
  patientId: string;
  diagnosisDate: string | null;
  storedOutcome: 0 | 1;
  newOutcome: 0 | 1;
}

/** What a labels import did; JSON-serialisable for the UI and the CLI. */
export interface LabelImportReport {
  file: string;
  status: 'imported' | 'rejected';
  message: string | null;
  rowsRead: number;
  /** Labels matched to a prediction (new or already stored). */
  matched: number;
  /** Labels newly stored by this import. */
  inserted: number;
  /** Labels identical to stored ones: re-importing a file changes nothing. */
  unchanged: number;
  unmatched: UnmatchedLabel[];
  conflicts: ConflictingLabel[];
  rejected: LabelRowError[];
}
