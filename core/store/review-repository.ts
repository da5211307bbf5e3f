/** Clinicians' review notes on single predictions. */
export interface ReviewRecord {
  id: number;
  batchId: number;
  rowIndex: number;
  patientId: string;
  reviewedBy: string;
  reviewedAt: string;
  note: string;
}
export interface ReviewStore {
  add(input: { batchId: number; rowIndex: number; reviewedBy: string; note: string }): ReviewRecord;
  list(batchId: number): ReviewRecord[];
  forPrediction(batchId: number, rowIndex: number): ReviewRecord[];
}
