import type { RiskCategory } from '../api/outputs';

/** Confirmed outcomes (diagnoses), each matched to the prediction it judges when one was found. */
interface LabelInput {
  patientId: string;
  outcome: 0 | 1;
  /** ISO date or null when the file has none. */
  diagnosisDate: string | null;
  /** The matched prediction, or null when none matched. */
  batchId: number | null;
  rowIndex: number | null;
}
interface LabelImportMeta {
  sourceFile: string | null;
  sourceSha256: string | null;
  importedBy: string;
}
interface LabelRecord extends LabelInput {
  id: number;
  sourceFile: string | null;
  importedAt: string;
  importedBy: string;
}
export interface LabelAddResult {
  inserted: number;
  /** Same patient, date and outcome as a stored label: nothing changed. */
  unchanged: number;
  /** Same patient and date, different outcome: not stored, reported. */
  conflicts: { patientId: string; diagnosisDate: string | null; storedOutcome: 0 | 1; newOutcome: 0 | 1 }[];
}
export interface MatchedLabel {
  labelId: number;
  patientId: string;
  outcome: 0 | 1;
  diagnosisDate: string | null;
  batchId: number;
  rowIndex: number;
  score: number;
  category: RiskCategory;
  recommendation: 0 | 1;
  age: number | null;
  modelVersion: string | null;
  threshold: number | null;
  predictionDate: string;
}
/** A matched label with the stored inputs of the prediction it judges (FEATURE_COLUMNS; null where missing). */
export interface MatchedLabelInputs extends MatchedLabel {
  inputs: Record<string, number | null>;
}
export interface LabelStore {
  /** One transaction; idempotent (re-adding the same labels changes nothing). */
  add(labels: readonly LabelInput[], meta: LabelImportMeta): LabelAddResult;
  list(): LabelRecord[];
  listMatched(): MatchedLabel[];
  /** listMatched() with each prediction's stored inputs (what retraining learns from). */
  listMatchedWithInputs(): MatchedLabelInputs[];
  count(): number;
}
